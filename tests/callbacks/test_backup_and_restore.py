import hashlib
import json

import pytest

import synalinks
from synalinks.callbacks import BackupAndRestore, ProgramCheckpoint
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query, answer_of, make_data, qa_program


def request_reply(messages, schema, index):
    """Deterministic per request, and better with few-shot examples: training changes outcomes."""
    query = json.loads(messages[-1]["content"])["query"]
    shots = sum(1 for message in messages if message["role"] == "assistant")
    digest = int(hashlib.sha256(f"{query}/{shots}".encode()).hexdigest(), 16)
    return {"answer": answer_of(messages) if digest % 4 < 1 + min(shots, 2) else "wrong"}


class Crash(synalinks.callbacks.Callback):
    def __init__(self, at_batch):
        super().__init__()
        self.at_batch = at_batch
        self.seen = 0

    def on_train_batch_end(self, batch, logs=None):
        self.seen += 1
        if self.seen == self.at_batch:
            raise KeyboardInterrupt("simulated crash")


def build(name):
    lm = ScriptedLanguageModel(reply_function=request_reply, latency=(0.0, 0.003), name=name)
    program = qa_program(lm)
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(nb_min_examples=1, nb_max_examples=3, seed=0),
        metrics=[synalinks.metrics.Accuracy()],
    )
    return program, lm


def train(program, callbacks):
    x, y = make_data(16)
    return program.fit(
        x, y, validation_data=make_data(4, 100), epochs=3, batch_size=4, seed=7, verbose=0, callbacks=callbacks
    )


@pytest.mark.parametrize("crash_at", [2, 5, 8, 11])
def test_resume_ends_exactly_like_an_uninterrupted_run(tmp_path, crash_at):
    reference, _ = build("reference")
    expected_history = train(reference, []).history

    program, lm = build("resumed")
    backup = BackupAndRestore(tmp_path / "backup", save_freq=1)
    checkpoint = ProgramCheckpoint(tmp_path / "ckpt" / "best.json", save_best_only=True)
    with pytest.raises(KeyboardInterrupt):
        train(program, [Crash(crash_at), checkpoint, backup])
    calls_before = [json.dumps(request) for request in lm.requests]
    assert (tmp_path / "backup" / "backup.json").is_file()

    # A new process would build the same program again.
    program_again, lm_again = build("resumed")
    backup_again = BackupAndRestore(tmp_path / "backup", save_freq=1)
    checkpoint_again = ProgramCheckpoint(tmp_path / "ckpt" / "best.json", save_best_only=True)
    history = train(program_again, [checkpoint_again, backup_again])
    assert backup_again.resumed
    assert history.history == expected_history
    assert [v.get_json() for v in program_again.variables] == [v.get_json() for v in reference.variables]
    assert program_again.optimizer.get_state() == reference.optimizer.get_state()
    repeated = sum(1 for request in lm_again.requests if json.dumps(request) in calls_before)
    assert repeated <= 4, "at most one batch's LM work is done again"
    assert not (tmp_path / "backup" / "backup.json").exists(), "deleted after a successful end"


def test_resume_at_an_epoch_boundary_with_epoch_backups(tmp_path):
    reference, _ = build("reference_epochs")
    expected = train(reference, []).history
    program, _ = build("epochs")
    with pytest.raises(KeyboardInterrupt):
        train(program, [Crash(6), BackupAndRestore(tmp_path / "b")])
    document = json.loads((tmp_path / "b" / "backup.json").read_text())
    assert document["position"]["epoch"] == 1 and document["position"]["step"] == 0
    again, _ = build("epochs_again")
    assert train(again, [BackupAndRestore(tmp_path / "b")]).history == expected


def test_damaged_latest_backup_falls_back_to_the_previous_one(tmp_path):
    program, _ = build("double")
    with pytest.raises(KeyboardInterrupt):
        train(program, [Crash(6), BackupAndRestore(tmp_path / "b", save_freq=1, double_checkpoint=True)])
    latest = tmp_path / "b" / "backup.json"
    for damage in (
        '{"format": "synalinks.backup", "format_version": 1, "fing',
        '{"format": "synalinks.backup", "format_version": 1}',
    ):
        latest.write_text(damage)
        again, _ = build("double_again")
        with pytest.warns(UserWarning, match="resuming from the previous one"):
            history = train(
                again, [BackupAndRestore(tmp_path / "b", save_freq=1, double_checkpoint=True, delete_checkpoint=False)]
            )
        assert len(history.epoch) == 3
        latest.write_text(damage)


def test_damaged_backup_without_a_previous_one_is_never_silently_ignored(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "backup.json").write_text("{truncated")
    program, _ = build("no_double")
    with pytest.raises(ValueError, match="Refusing to train from scratch"):
        train(program, [BackupAndRestore(folder)])


def test_resuming_into_another_architecture_is_refused(tmp_path):
    program, _ = build("arch")
    with pytest.raises(KeyboardInterrupt):
        train(program, [Crash(3), BackupAndRestore(tmp_path / "b", save_freq=1)])
    lm = ScriptedLanguageModel(reply_function=request_reply)
    other = synalinks.Sequential(
        [synalinks.Input(data_model=Query), synalinks.ChainOfThought(data_model=Answer, language_model=lm)]
    )
    other.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot())
    with pytest.raises(ValueError, match="another architecture"):
        train(other, [BackupAndRestore(tmp_path / "b", save_freq=1)])


def test_lm_replies_are_cached_in_the_backup_folder_during_training(tmp_path):
    program, lm = build("cache")
    backup = BackupAndRestore(tmp_path / "b", save_freq=1, delete_checkpoint=False)
    train(program, [backup])
    assert list((tmp_path / "b" / "lm_cache").rglob("*.json")), "replies were cached"
    assert lm._cache is None, "the cache is detached after training"
    with pytest.raises(ValueError, match="save_freq"):
        BackupAndRestore(tmp_path / "c", save_freq="often")
