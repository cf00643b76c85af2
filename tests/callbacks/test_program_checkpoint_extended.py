"""ProgramCheckpoint beyond the seed: retention, last, manifest, lock, time, interruptions, storage."""

import datetime
import math
import os
import signal
import time

import pytest

import synalinks
from synalinks.callbacks import ProgramCheckpoint
from synalinks.callbacks.folder_lock import FolderLockedError
from synalinks.saving import read_checkpoint_info
from tests.conftest import make_data, qa_program


def compiled(lm):
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot(seed=0))
    return program


def drive(callback, program, values, monitor="val_reward"):
    callback.set_program(program)
    callback.on_train_begin()
    try:
        for epoch, value in enumerate(values):
            callback.on_epoch_begin(epoch)
            callback.on_epoch_end(epoch, {monitor: value})
    finally:
        callback.on_train_end()
    return callback


def files(folder):
    return sorted(name for name in os.listdir(folder) if not name.startswith("."))


def test_save_top_k_keeps_the_k_best(lm, tmp_path):
    callback = drive(
        ProgramCheckpoint(tmp_path / "c-{epoch}.json", save_top_k=2), compiled(lm), [0.5, 0.9, 0.1, 0.7, 0.2]
    )
    assert files(tmp_path) == ["c-2.json", "c-4.json", "c-5.json"], "the 2 best, and the newest is never deleted"
    assert callback.best == 0.9 and callback.best_path.endswith("c-2.json")
    assert {os.path.basename(p): v for p, v in callback.best_k_paths.items()} == {"c-2.json": 0.9, "c-4.json": 0.7}
    assert callback.last_path.endswith("c-5.json")
    everything = drive(
        ProgramCheckpoint(tmp_path / "all" / "c-{epoch}.json", save_top_k=-1), compiled(lm), [0.1, 0.2, 0.3]
    )
    assert len(files(tmp_path / "all")) == 3 and len(everything.best_k_paths) == 3


def test_max_to_keep_and_the_union_with_top_k(lm, tmp_path):
    drive(ProgramCheckpoint(tmp_path / "n" / "c-{epoch}.json", max_to_keep=2), compiled(lm), [0.9, 0.1, 0.2, 0.3])
    assert files(tmp_path / "n") == ["c-3.json", "c-4.json"]
    drive(
        ProgramCheckpoint(tmp_path / "u" / "c-{epoch}.json", max_to_keep=1, save_top_k=1),
        compiled(lm),
        [0.9, 0.1, 0.2, 0.3],
    )
    assert files(tmp_path / "u") == ["c-1.json", "c-4.json"]


def test_retention_needs_format_fields_and_valid_numbers(tmp_path):
    with pytest.raises(ValueError, match="format fields"):
        ProgramCheckpoint(tmp_path / "c.json", save_top_k=2)
    with pytest.raises(ValueError, match="max_to_keep"):
        ProgramCheckpoint(tmp_path / "c-{epoch}.json", max_to_keep=0)
    with pytest.raises(ValueError, match="min_delta"):
        ProgramCheckpoint(tmp_path / "c.json", min_delta=-1)


def test_retention_never_deletes_files_this_run_did_not_write(lm, tmp_path):
    (tmp_path / "c-9.json").write_text("someone else's file")
    compiled(lm).save(tmp_path / "c-8.json")
    drive(ProgramCheckpoint(tmp_path / "c-{epoch}.json", save_top_k=1), compiled(lm), [0.1, 0.2, 0.3])
    assert files(tmp_path) == ["c-3.json", "c-8.json", "c-9.json"]


def test_save_last(lm, tmp_path):
    program = compiled(lm)
    callback = ProgramCheckpoint(tmp_path / "best.json", save_best_only=True, save_last=True)
    callback.set_program(program)
    callback.on_train_begin()
    for epoch, value in enumerate([0.5, 0.9, 0.7]):
        program.variables[0].update({"instructions": f"epoch {epoch + 1}"})
        callback.on_epoch_end(epoch, {"val_reward": value})
    callback.on_train_end()
    best = synalinks.programs.load_program(tmp_path / "best.json")
    last = synalinks.programs.load_program(tmp_path / "last.json")
    assert best.variables[0].get("instructions") == "epoch 2"
    assert last.variables[0].get("instructions") == "epoch 3", "last holds the newest state, best or not"
    assert last.checkpoint_info["value"] == 0.7
    variables_only = drive(
        ProgramCheckpoint(tmp_path / "v" / "c-{epoch}.variables.json", save_variables_only=True, save_last=True),
        compiled(lm),
        [0.1],
    )
    assert (tmp_path / "v" / "last.variables.json").is_file() and variables_only.last_path.endswith(
        "c-1.variables.json"
    )


def test_min_delta(lm, tmp_path):
    drive(
        ProgramCheckpoint(tmp_path / "c-{epoch}.json", save_best_only=True, min_delta=0.1),
        compiled(lm),
        [0.5, 0.55, 0.7, 0.75],
    )
    assert files(tmp_path) == ["c-1.json", "c-3.json"]


def test_nan_and_infinite_values_are_never_the_best(lm, tmp_path):
    with pytest.warns(UserWarning, match="never counts as the best"):
        callback = drive(
            ProgramCheckpoint(tmp_path / "c-{epoch}.json", save_top_k=1), compiled(lm), [math.nan, 0.5, math.inf, 0.4]
        )
    assert callback.best == 0.5
    assert files(tmp_path) == ["c-2.json", "c-4.json"]
    with pytest.warns(UserWarning):
        drive(ProgramCheckpoint(tmp_path / "b" / "best.json", save_best_only=True), compiled(lm), [math.inf, 0.5, 0.4])
    assert read_checkpoint_info(tmp_path / "b" / "best.json")["value"] == 0.5


def test_save_best_only_with_an_integer_save_freq_inside_the_first_epoch(lm, tmp_path):
    program = compiled(lm)
    x, y = make_data(8)
    callback = ProgramCheckpoint(tmp_path / "best.json", monitor="reward", save_freq=1, save_best_only=True)
    program.fit(x, y, batch_size=2, epochs=1, verbose=0, callbacks=[callback])
    info = read_checkpoint_info(tmp_path / "best.json")
    assert (info["epoch"], info["batch"], info["global_step"]) == (1, 1, 1), "the first batch was best; later ones tie"
    missing = ProgramCheckpoint(tmp_path / "val.json", monitor="val_reward", save_freq=2, save_best_only=True)
    with pytest.warns(UserWarning, match="val_reward available"):
        program.fit(x, y, batch_size=2, epochs=1, verbose=0, callbacks=[missing])
    assert not (tmp_path / "val.json").exists()


def test_time_based_save_freq(lm, tmp_path, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("synalinks.callbacks.save_schedule.time.monotonic", lambda: clock[0])
    program = compiled(lm)
    callback = ProgramCheckpoint(tmp_path / "s-{epoch}-{batch}.json", save_freq="15min")
    callback.set_program(program)
    callback.on_train_begin()
    callback.on_epoch_begin(0)
    for batch, minutes in enumerate([5, 10, 16, 20, 32]):
        clock[0] = 1000.0 + minutes * 60
        callback.on_train_batch_end(batch, {})
    callback.on_train_end()
    assert files(tmp_path) == ["s-1-3.json", "s-1-5.json"]
    assert ProgramCheckpoint(tmp_path / "c.json", save_freq=datetime.timedelta(seconds=30))._schedule.every == 30
    for bad in ("soon", "0min", "15 lightyears"):
        with pytest.raises(ValueError, match="save_freq"):
            ProgramCheckpoint(tmp_path / "c.json", save_freq=bad)


def test_save_on_exception_then_reraise(lm, tmp_path):
    class Boom(synalinks.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                raise RuntimeError("boom")

    program = compiled(lm)
    x, y = make_data(8)
    callback = ProgramCheckpoint(tmp_path / "best.json", save_on_exception=True)
    with pytest.raises(RuntimeError, match="boom"):
        program.fit(x, y, batch_size=2, epochs=2, verbose=0, callbacks=[callback, Boom()])
    info = read_checkpoint_info(tmp_path / "interrupted.json")
    assert "boom" in info["interrupted"] and info["epoch"] == 1
    assert not (tmp_path / ".synalinks.lock").exists(), "the lock is released"
    quiet = ProgramCheckpoint(tmp_path / "q" / "best.json")
    with pytest.raises(RuntimeError):
        program.fit(x, y, batch_size=2, epochs=1, verbose=0, callbacks=[quiet, Boom()])
    assert not (tmp_path / "q" / "interrupted.json").exists()


def test_keyboard_interrupt_is_saved_too(lm, tmp_path):
    class CtrlC(synalinks.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            raise KeyboardInterrupt

    program = compiled(lm)
    x, y = make_data(4)
    with pytest.raises(KeyboardInterrupt):
        program.fit(
            x,
            y,
            batch_size=2,
            verbose=0,
            callbacks=[ProgramCheckpoint(tmp_path / "c.json", save_on_exception=True), CtrlC()],
        )
    assert (tmp_path / "interrupted.json").is_file()


def test_sigterm_saves_at_the_next_safe_point_and_stops_cleanly(lm, tmp_path):
    class Terminate(synalinks.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if batch == 1:
                os.kill(os.getpid(), signal.SIGTERM)

    program = compiled(lm)
    x, y = make_data(8)
    callback = ProgramCheckpoint(tmp_path / "c-{epoch}.json", save_on_exception=True)
    history = program.fit(x, y, batch_size=2, epochs=3, verbose=0, callbacks=[Terminate(), callback])
    assert history.epoch == [0], "stopped at the end of the interrupted epoch's current batch"
    assert len(lm.requests) == 4, "the batch in progress finished, nothing after it"
    assert read_checkpoint_info(tmp_path / "interrupted.json")["interrupted"] == "'SIGTERM'"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_second_run_on_the_same_folder_fails_fast(lm, tmp_path):
    program = compiled(lm)
    first = ProgramCheckpoint(tmp_path / "c.json")
    first.set_program(program)
    first.on_train_begin()
    from synalinks.callbacks import folder_lock

    held = dict(folder_lock._held)
    folder_lock._held.clear()  # as if the second run were another process: the flock is still held
    try:
        second = ProgramCheckpoint(tmp_path / "c.json")
        second.set_program(program)
        with pytest.raises(FolderLockedError, match=f"pid {os.getpid()}"):
            second.on_train_begin()
    finally:
        folder_lock._held.update(held)
    first.on_train_end()
    assert not (tmp_path / ".synalinks.lock").exists()


def test_a_restarted_run_never_overwrites_a_better_file_with_a_worse_one(lm, tmp_path):
    drive(ProgramCheckpoint(tmp_path / "best.json", save_best_only=True), compiled(lm), [0.5, 0.9])
    restarted = drive(ProgramCheckpoint(tmp_path / "best.json", save_best_only=True), compiled(lm), [0.6, 0.8])
    assert read_checkpoint_info(tmp_path / "best.json")["value"] == 0.9
    assert restarted.best == 0.9


def test_without_a_manifest_the_folder_is_scanned(lm, tmp_path):
    drive(ProgramCheckpoint(tmp_path / "c-{epoch}.json", save_best_only=True), compiled(lm), [0.5, 0.9, 0.7])
    for manifest in tmp_path.glob(".synalinks-checkpoints-*.json"):
        manifest.write_text('{"format": "synalinks.checkpoint_manifest", "state": {"entr')
    (tmp_path / "c-7.json").write_text('{"format": "synalinks.program", "format_version": 1, "progr')
    restarted = drive(ProgramCheckpoint(tmp_path / "c-{epoch}.json", save_best_only=True), compiled(lm), [0.8])
    assert restarted.best == 0.9 and restarted.best_path.endswith("c-2.json")
    assert files(tmp_path) == ["c-1.json", "c-2.json", "c-7.json"], (
        "0.8 is not an improvement; the partial file is ignored"
    )


def test_memory_storage(lm):
    import fsspec

    program = compiled(lm)
    x, y = make_data(4)
    url = f"memory://synalinks-tests/{time.time_ns()}"
    callback = ProgramCheckpoint(url + "/c-{epoch}.json", save_top_k=1, save_last=True)
    program.fit(x, y, validation_data=make_data(2, 9), epochs=3, batch_size=2, verbose=0, callbacks=[callback])
    fs = fsspec.filesystem("memory")
    names = sorted(path.rsplit("/", 1)[-1] for path in fs.ls(url.split("://")[1], detail=False))
    assert "last.json" in names and any(name.startswith("c-") for name in names)
    loaded = synalinks.programs.load_program(callback.best_path)
    assert loaded.checkpoint_info["monitor"] == "val_reward"
    newest = callback._get_most_recently_modified_file_matching_pattern(url + "/c-{epoch}.json")
    assert newest == callback.last_path, "the newest file written is the most recently modified one"
