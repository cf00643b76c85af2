"""Callbacks delete only what they wrote, the folder lock admits one run, and errors are never replaced."""

import errno
import json
import multiprocessing
import os
import subprocess
import sys

import pytest

import synalinks
from synalinks.callbacks import BackupAndRestore, ProgramCheckpoint
from synalinks.callbacks.folder_lock import FolderLock, FolderLockedError
from synalinks.saving import read_checkpoint_info
from tests.conftest import make_data, qa_program


def compiled(lm):
    program = qa_program(lm)
    # No candidate trials: these tests count the training loop's own LM calls and cached replies.
    program.compile(
        reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot(seed=0, nb_candidates=0)
    )
    return program


def drive(callback, program, values):
    callback.set_program(program)
    callback.on_train_begin()
    for epoch, value in enumerate(values):
        callback.on_epoch_begin(epoch)
        callback.on_epoch_end(epoch, {"val_reward": value, "reward": value})
    callback.on_train_end()
    return callback


def test_user_files_next_to_checkpoints_and_in_lm_cache_survive_a_full_fit(lm, tmp_path):
    x, y = make_data(8)
    backup_dir = tmp_path / "backup"
    own_cache = backup_dir / "lm_cache" / "mine"
    (backup_dir / "lm_cache").mkdir(parents=True)
    (backup_dir / "lm_cache" / "notes.txt").write_text("keep me")
    (backup_dir / "lm_cache" / "ab").mkdir()
    (backup_dir / "lm_cache" / "ab" / ("ab" + "0" * 62 + ".json")).write_text("{}")  # looks like a reply
    (tmp_path / ".draft.json.tmp").write_text("a user's temporary file")
    (tmp_path / "notes.json").write_text("{}")
    (own_cache / "cd").mkdir(parents=True)
    (own_cache / "cd" / ("cd" + "1" * 62 + ".json")).write_text("{}")
    program = compiled(lm)
    program.fit(
        x,
        y,
        batch_size=4,
        epochs=2,
        verbose=0,
        callbacks=[
            ProgramCheckpoint(tmp_path / "best.json", save_best_only=True, monitor="reward"),
            BackupAndRestore(backup_dir, save_freq=1),
        ],
    )
    assert lm.requests
    assert (own_cache / "cd" / ("cd" + "1" * 62 + ".json")).is_file()
    assert (backup_dir / "lm_cache" / "notes.txt").read_text() == "keep me"
    assert (backup_dir / "lm_cache" / "ab" / ("ab" + "0" * 62 + ".json")).is_file()
    assert (tmp_path / ".draft.json.tmp").read_text() == "a user's temporary file"
    assert (tmp_path / "notes.json").is_file()
    assert not (backup_dir / "backup.json").exists()
    leftover = [path for path in (backup_dir / "lm_cache").rglob("*.json") if path.parent.name not in ("ab", "cd")]
    assert leftover == [], "the replies the backup cached are removed"


def test_a_language_models_own_cache_in_the_backup_folder_is_kept(tmp_path):
    from synalinks.testing import ScriptedLanguageModel
    from tests.conftest import correct_reply

    own = ScriptedLanguageModel(reply_function=correct_reply, cache_dir=tmp_path / "backup" / "lm_cache")
    program = compiled(own)
    x, y = make_data(4)
    program.fit(x, y, batch_size=2, verbose=0, callbacks=[BackupAndRestore(tmp_path / "backup")])
    replies = list((tmp_path / "backup" / "lm_cache").rglob("*.json"))
    assert len(replies) == 4, "the language model's own cache is not the backup's to delete"


def test_retention_never_deletes_a_path_a_tampered_manifest_names(lm, tmp_path):
    victim = tmp_path / "precious.json"
    victim.write_text("{}")
    folder = tmp_path / "ckpt"
    drive(ProgramCheckpoint(folder / "c-{epoch}.json", max_to_keep=1), compiled(lm), [0.1])
    (manifest,) = folder.glob(".synalinks-checkpoints-*.json")
    document = json.loads(manifest.read_text())
    document["state"]["entries"].append(
        {"path": str(victim), "value": 0.0, "time": 0, "this_run": True, "epoch": 1, "batch": None}
    )
    document["state"]["entries"].append(
        {"path": str(folder / "other.json"), "value": 0.0, "time": 0, "this_run": True, "epoch": 1, "batch": None}
    )
    (folder / "other.json").write_text("{}")
    manifest.write_text(json.dumps(document))
    drive(ProgramCheckpoint(folder / "c-{epoch}.json", max_to_keep=1), compiled(lm), [0.2, 0.3, 0.4])
    assert victim.read_text() == "{}"
    assert (folder / "other.json").is_file()
    assert sorted(path.name for path in folder.glob("c-*.json")) == ["c-1.json", "c-3.json"]


def test_only_the_temporary_files_of_a_run_that_died_holding_the_lock_are_removed(tmp_path):
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from synalinks.callbacks.folder_lock import FolderLock\n"
            "from synalinks.saving.atomic_write import temporary_prefix\n"
            "FolderLock(sys.argv[1]).acquire()\n"
            "open(sys.argv[1] + '/' + temporary_prefix('c.json') + 'x1.tmp', 'w').write('half')\n"
            "print('ready', flush=True)\n"
            "time.sleep(60)\n",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "ready"
    (tmp_path / ".c.json.abc123.tmp").write_text("someone else's")
    with pytest.raises(FolderLockedError, match=f"pid {child.pid}"):
        FolderLock(str(tmp_path)).acquire()
    child.kill()
    child.wait()
    left_by_child = [name for name in os.listdir(tmp_path) if ".synalinks-" in name and name.endswith(".tmp")]
    assert len(left_by_child) == 1
    lock = FolderLock(str(tmp_path))
    with pytest.warns(UserWarning, match="run that died"):
        lock.acquire()
    lock.release()
    assert not (tmp_path / left_by_child[0]).exists()
    assert (tmp_path / ".c.json.abc123.tmp").read_text() == "someone else's"


def _contend(folder, barrier, results, rounds):
    for round_index in range(rounds):
        barrier.wait()
        lock = FolderLock(folder)
        try:
            lock.acquire()
            got = True
        except FolderLockedError:
            got = False
        results.put((round_index, got))
        barrier.wait()  # everyone has tried before the holder lets go
        if got:
            lock.release()
        barrier.wait()


def test_one_thousand_same_instant_lock_attempts_give_exactly_one_holder_per_round(tmp_path):
    workers, rounds = 10, 100
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(workers)
    results = context.Queue()
    processes = [
        context.Process(target=_contend, args=(str(tmp_path), barrier, results, rounds)) for _ in range(workers)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=60) for _ in range(workers * rounds)]
    for process in processes:
        process.join(timeout=60)
    # Grouped by the round they belong to: a queue's feeder threads may deliver them out of order.
    holders = [sum(got for round_index, got in outcomes if round_index == index) for index in range(rounds)]
    assert len(outcomes) == 1000
    assert holders == [1] * rounds, f"{sum(outcomes)} holders in {rounds} rounds"


def test_a_run_that_lost_the_lock_writes_nothing_into_the_other_runs_folder(lm, tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom synalinks.callbacks.folder_lock import FolderLock\n"
            "FolderLock(sys.argv[1]).acquire()\nprint('ready', flush=True)\ntime.sleep(60)\n",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        x, y = make_data(4)
        with pytest.raises(FolderLockedError):
            compiled(lm).fit(
                x,
                y,
                verbose=0,
                callbacks=[ProgramCheckpoint(tmp_path / "c.json", save_on_exception=True)],
            )
        assert not (tmp_path / "interrupted.json").exists()
        assert lm.requests == []
    finally:
        holder.kill()
        holder.wait()


def test_a_failed_emergency_save_never_replaces_the_original_error(lm, tmp_path, monkeypatch):
    program = compiled(lm)
    x, y = make_data(4)
    real_save = type(program).save

    def full_disk(self, path, metadata=None):
        if str(path).endswith("best.json") or str(path).endswith("interrupted.json"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(self, path, metadata=metadata)

    monkeypatch.setattr(type(program), "save", full_disk)
    callback = ProgramCheckpoint(tmp_path / "best.json", save_on_exception=True, monitor="reward")
    with pytest.raises(OSError) as caught:
        program.fit(x, y, batch_size=2, verbose=0, callbacks=[callback])
    assert caught.value.errno == errno.ENOSPC
    assert any("could not save interrupted.json" in note for note in caught.value.__notes__)
    assert not (tmp_path / ".synalinks.lock").exists()


def test_the_manifest_stays_small_when_nothing_is_pruned(lm, tmp_path):
    callback = drive(ProgramCheckpoint(tmp_path / "c-{epoch}.json"), compiled(lm), [i / 300 for i in range(300)])
    (manifest,) = tmp_path.glob(".synalinks-checkpoints-*.json")
    entries = json.loads(manifest.read_text())["state"]["entries"]
    assert len(entries) <= 3, len(entries)
    assert callback.best_path.endswith("c-300.json")
    assert len(list(tmp_path.glob("c-*.json"))) == 300, "files are kept; only the table is bounded"
    restarted = drive(ProgramCheckpoint(tmp_path / "c-{epoch}.json"), compiled(lm), [0.0])
    assert restarted.best == pytest.approx(299 / 300)


def test_save_last_with_save_best_only_keeps_the_newest_state(lm, tmp_path):
    program = compiled(lm)
    callback = ProgramCheckpoint(tmp_path / "best.json", save_best_only=True, save_last=True)
    callback.set_program(program)
    callback.on_train_begin()
    for epoch, value in enumerate([0.9, 0.1]):
        program.variables[0].update({"instructions": f"epoch {epoch + 1}"})
        callback.on_epoch_end(epoch, {"val_reward": value})
    callback.on_train_end()
    assert read_checkpoint_info(tmp_path / "last.json")["epoch"] == 2
    assert read_checkpoint_info(tmp_path / "best.json")["epoch"] == 1


def test_filepath_template_errors_are_found_before_any_lm_call(lm, tmp_path):
    for bad in ("c-{epoch.json", "c-{}.json", "c-{0}.json", "c-{epoch!z}.json", "c-{a.b}.json", "c-{epoch:q}.json"):
        with pytest.raises(ValueError, match="filepath"):
            ProgramCheckpoint(tmp_path / bad)
    callback = ProgramCheckpoint(tmp_path / "c-{epoh:02d}.json")
    x, y = make_data(4)
    with pytest.raises(ValueError, match=r"\{epoh\}.*epoch"):
        compiled(lm).fit(x, y, verbose=0, callbacks=[callback])
    assert lm.requests == []
    ProgramCheckpoint(tmp_path / "c-{epoch:02d}-{val_reward:.2f}.json")  # fine


def test_the_end_of_fit_says_when_no_checkpoint_was_written_and_why(lm, tmp_path):
    x, y = make_data(4)
    callback = ProgramCheckpoint(tmp_path / "best.json", save_best_only=True, monitor="val_accuracy")
    with pytest.warns(UserWarning) as caught:
        compiled(lm).fit(x, y, verbose=0, callbacks=[callback])
    messages = [str(warning.message) for warning in caught]
    assert any("Can save best program only with val_accuracy available" in message for message in messages)
    assert any("wrote no checkpoint" in message and "never in the logs" in message for message in messages)
    assert not (tmp_path / "best.json").exists()
