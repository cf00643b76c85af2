import json
import math
import os
import pathlib
import time

import numpy as np
import pytest

import synalinks
from synalinks.callbacks import ProgramCheckpoint
from synalinks.saving import read_json_file
from tests.conftest import make_data, qa_program


def compiled_program(lm, metrics=None):
    program = qa_program(lm)
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(seed=0),
        metrics=metrics if metrics is not None else [synalinks.metrics.Accuracy()],
    )
    return program


def run_epochs(callback, program, logs_per_epoch):
    """Drives the callback as fit would, with chosen end-of-epoch logs."""
    callback.set_program(program)
    callback.on_train_begin()
    try:
        for epoch, logs in enumerate(logs_per_epoch):
            callback.on_epoch_begin(epoch)
            callback.on_epoch_end(epoch, logs)
    finally:
        callback.on_train_end()


def checkpoint_files(folder):
    """The checkpoint files in a folder, without the callback's own manifest and lock."""
    return sorted(name for name in os.listdir(folder) if not name.startswith("."))


def saved_epoch(path):
    return json.loads(pathlib.Path(path).read_text())["metadata"]["epoch"]


# The seed's examples, with a real program in place of the `...`


def test_seed_first_example_keeps_the_best_program_and_it_loads_back(learning_lm, tmp_path):
    program = compiled_program(learning_lm)
    # Epoch 1 ends with good examples; then the examples get wiped (a bad update), so epoch 2 is worse.
    snapshots = {}

    class Perturb(synalinks.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshots[epoch + 1] = [variable.snapshot() for variable in self.program.variables]

        def on_epoch_begin(self, epoch, logs=None):
            state = self.program.variables[0]
            if epoch == 0:
                state.update({"examples": [{"inputs": {"query": "q1"}, "outputs": {"answer": "1"}}]})

        def on_test_begin(self, logs=None):
            # A bad change after the first epoch: the second validation sees no examples.
            if self.program.history.epoch == [0]:
                self.program.variables[0].update({"examples": []})

    x_train, y_train = make_data(8)
    x_test, y_test = make_data(4, 100)
    checkpoint_filepath = str(tmp_path / "synalinks" / "checkpoint.program.json")
    callback = ProgramCheckpoint(filepath=checkpoint_filepath, monitor="val_reward", mode="max", save_best_only=True)
    history = program.fit(
        x=x_train,
        y=y_train,
        validation_data=(x_test, y_test),
        epochs=2,
        batch_size=4,
        callbacks=[Perturb(), callback],
        verbose=0,
    )
    assert history.history["val_reward"] == [1.0, 0.0]
    best = synalinks.programs.load_program(checkpoint_filepath)
    assert best.checkpoint_info["epoch"] == 1
    assert best.checkpoint_info["value"] == 1.0
    assert [v.get_json() for v in best.variables] == snapshots[1]
    assert callback.best == 1.0
    # It predicts the same as the trained program did when it was best.
    for variable, value in zip(program.variables, snapshots[1]):
        variable.assign(value)
    expected = [p.get_json() for p in program.predict(x_test, verbose=0)]
    assert [p.get_json() for p in best.predict(x_test, verbose=0)] == expected
    assert best.evaluate(x_test, y_test, verbose=0)["reward"] == 1.0


def test_seed_second_example_variables_only_with_val_accuracy(learning_lm, tmp_path):
    program = compiled_program(learning_lm, metrics=[synalinks.metrics.Accuracy()])
    program.variables[0].update({"examples": [{"inputs": {"query": "q1"}, "outputs": {"answer": "1"}}]})
    checkpoint_filepath = str(tmp_path / "checkpoint.variables.json")
    callback = ProgramCheckpoint(
        filepath=checkpoint_filepath,
        save_variables_only=True,
        monitor="val_accuracy",
        mode="max",
        save_best_only=True,
    )
    x_train, y_train = make_data(8)
    x_test, y_test = make_data(4, 100)
    program.fit(
        x=x_train, y=y_train, validation_data=(x_test, y_test), epochs=2, batch_size=4, callbacks=[callback], verbose=0
    )
    document = read_json_file(checkpoint_filepath, "synalinks.variables")
    assert document["metadata"]["monitor"] == "val_accuracy"
    fresh = compiled_program(learning_lm)
    assert fresh.evaluate(x_test, y_test, verbose=0)["accuracy"] == 0.0
    fresh.load_variables(checkpoint_filepath)
    assert fresh.variables[0].get_json() == document["variables"][0]["variables"]["state"]
    assert fresh.variables[0].get("examples")
    assert fresh.evaluate(x_test, y_test, verbose=0)["accuracy"] == 1.0


# filepath


def test_filepath_format_fields_from_epoch_and_logs(lm, tmp_path):
    program = compiled_program(lm)
    callback = ProgramCheckpoint(filepath=tmp_path / "ckpt-{epoch:02d}-{val_reward:.2f}.json")
    run_epochs(callback, program, [{"val_reward": 0.5}, {"val_reward": 0.25}])
    assert checkpoint_files(tmp_path) == ["ckpt-01-0.50.json", "ckpt-02-0.25.json"]
    assert saved_epoch(tmp_path / "ckpt-02-0.25.json") == 2


def test_filepath_accepts_pathlike_and_creates_missing_folders(lm, tmp_path):
    program = compiled_program(lm)
    path = tmp_path / "a" / "b" / "c.json"
    callback = ProgramCheckpoint(filepath=path)
    assert callback.filepath == str(path)
    run_epochs(callback, program, [{"val_reward": 0.5}])
    assert path.is_file()
    assert isinstance(synalinks.programs.load_program(path), synalinks.Program)


@pytest.mark.parametrize(
    "filepath, kwargs, match",
    [
        ("ckpt.txt", {}, "must end in '.json'"),
        ("ckpt", {}, "must end in '.json'"),
        ("ckpt.variables.json", {}, "save_variables_only=True"),
        ("ckpt.json", {"save_variables_only": True}, "'.variables.json'"),
        ("ckpt.h5", {"save_variables_only": True}, "'.variables.json'"),
    ],
)
def test_filepath_extension_is_checked(tmp_path, filepath, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ProgramCheckpoint(filepath=str(tmp_path / filepath), **kwargs)


def test_filepath_that_is_an_existing_folder(lm, tmp_path):
    (tmp_path / "taken.json").mkdir()
    with pytest.raises(ValueError, match="existing folder"):
        ProgramCheckpoint(filepath=tmp_path / "taken.json")
    (tmp_path / "ckpt-1.json").mkdir()
    callback = ProgramCheckpoint(filepath=tmp_path / "ckpt-{epoch}.json")
    with pytest.raises(ValueError, match="existing folder"):
        run_epochs(callback, compiled_program(lm), [{}])


def test_filepath_must_be_a_path():
    with pytest.raises(TypeError, match="str or os.PathLike"):
        ProgramCheckpoint(filepath=3)


# monitor and mode


def test_monitor_defaults_to_val_reward(lm, tmp_path):
    program = compiled_program(lm)
    callback = ProgramCheckpoint(filepath=tmp_path / "best.json", save_best_only=True)
    assert callback.monitor == "val_reward"
    run_epochs(callback, program, [{"val_reward": 0.2, "reward": 0.9}, {"val_reward": 0.5, "reward": 0.1}])
    assert saved_epoch(tmp_path / "best.json") == 2


def test_unknown_mode_warns_and_falls_back_to_auto(lm, tmp_path):
    with pytest.warns(UserWarning, match="mode 'sideways' is unknown"):
        callback = ProgramCheckpoint(filepath=tmp_path / "best.json", mode="sideways", save_best_only=True)
    assert callback.mode == "auto"
    run_epochs(callback, compiled_program(lm), [{"val_reward": 0.2}, {"val_reward": 0.5}, {"val_reward": 0.4}])
    assert saved_epoch(tmp_path / "best.json") == 2


def test_auto_mode_minimizes_a_metric_whose_direction_is_down(lm, tmp_path):
    @synalinks.saving.register_synalinks_serializable(package="tests")
    def answer_length(y_true, y_pred):
        return len(y_pred.get("answer")) if y_pred is not None else 0

    program = compiled_program(lm, metrics=[synalinks.metrics.MeanMetricWrapper(answer_length, direction="down")])
    callback = ProgramCheckpoint(filepath=tmp_path / "best.json", monitor="val_answer_length", save_best_only=True)
    run_epochs(callback, program, [{"val_answer_length": 5.0}, {"val_answer_length": 3.0}, {"val_answer_length": 4.0}])
    assert saved_epoch(tmp_path / "best.json") == 2
    assert callback.best == 3.0


def test_auto_mode_maximizes_reward_and_metrics_without_direction(lm, tmp_path):
    program = compiled_program(lm, metrics=[synalinks.metrics.Mean(name="plain")])
    for monitor in ("val_reward", "reward", "plain", "not_a_metric"):
        path = tmp_path / f"{monitor}.json"
        callback = ProgramCheckpoint(filepath=path, monitor=monitor, save_best_only=True)
        run_epochs(callback, program, [{monitor: 0.1}, {monitor: 0.9}, {monitor: 0.5}])
        assert saved_epoch(path) == 2, monitor


def test_min_and_max_modes(lm, tmp_path):
    program = compiled_program(lm)
    values = [{"val_reward": 0.5}, {"val_reward": 0.2}, {"val_reward": 0.9}]
    low = ProgramCheckpoint(filepath=tmp_path / "low.json", mode="min", save_best_only=True)
    run_epochs(low, program, values)
    assert saved_epoch(tmp_path / "low.json") == 2
    high = ProgramCheckpoint(filepath=tmp_path / "high.json", mode="max", save_best_only=True)
    run_epochs(high, program, values)
    assert saved_epoch(tmp_path / "high.json") == 3


# save_best_only


def test_save_best_only_writes_only_improvements(lm, tmp_path):
    program = compiled_program(lm)
    callback = ProgramCheckpoint(filepath=tmp_path / "ckpt-{epoch}.json", save_best_only=True)
    run_epochs(callback, program, [{"val_reward": 0.5}, {"val_reward": 0.4}, {"val_reward": 0.5}, {"val_reward": 0.6}])
    assert checkpoint_files(tmp_path) == ["ckpt-1.json", "ckpt-4.json"]


def test_without_save_best_only_every_epoch_is_saved(lm, tmp_path):
    program = compiled_program(lm)
    callback = ProgramCheckpoint(filepath=tmp_path / "ckpt-{epoch}.json")
    run_epochs(callback, program, [{"val_reward": 0.5}, {"val_reward": 0.1}, {}])
    assert checkpoint_files(tmp_path) == ["ckpt-1.json", "ckpt-2.json", "ckpt-3.json"]


def test_missing_monitor_warns_and_skips(lm, tmp_path):
    callback = ProgramCheckpoint(filepath=tmp_path / "best.json", save_best_only=True)
    with pytest.warns(UserWarning, match="val_reward available"):
        run_epochs(callback, compiled_program(lm), [{"reward": 1.0}])
    assert not (tmp_path / "best.json").exists()


@pytest.mark.parametrize("variables_only", [False, True])
def test_non_scalar_monitor_warns_and_skips_the_save_as_in_keras(lm, tmp_path, variables_only):
    name = "best.variables.json" if variables_only else "best.json"
    callback = ProgramCheckpoint(filepath=tmp_path / name, save_best_only=True, save_variables_only=variables_only)
    with pytest.warns(UserWarning, match="must be a scalar value"):
        run_epochs(callback, compiled_program(lm), [{"val_reward": [0.1, 0.2]}, {"val_reward": 0.4}])
    document = json.loads((tmp_path / name).read_text())
    assert document["format"] == ("synalinks.variables" if variables_only else "synalinks.program")
    assert document["metadata"]["epoch"] == 2, "the non-scalar epoch was skipped, the next one saved"


def test_numpy_scalars_are_scalars(lm, tmp_path):
    callback = ProgramCheckpoint(filepath=tmp_path / "best.json", save_best_only=True)
    run_epochs(callback, compiled_program(lm), [{"val_reward": np.float64(0.3)}, {"val_reward": np.array(0.7)}])
    assert saved_epoch(tmp_path / "best.json") == 2


def test_nan_monitor_is_never_the_best(lm, tmp_path):
    callback = ProgramCheckpoint(filepath=tmp_path / "ckpt-{epoch}.json", save_best_only=True)
    with pytest.warns(UserWarning, match="never counts as the best"):
        run_epochs(callback, compiled_program(lm), [{"val_reward": math.nan}, {"val_reward": 0.5}, {"val_reward": 0.4}])
    assert checkpoint_files(tmp_path) == ["ckpt-2.json"]


def test_initial_value_threshold(lm, tmp_path):
    program = compiled_program(lm)
    callback = ProgramCheckpoint(
        filepath=tmp_path / "ckpt-{epoch}.json", save_best_only=True, initial_value_threshold=0.7
    )
    run_epochs(callback, program, [{"val_reward": 0.5}, {"val_reward": 0.7}, {"val_reward": 0.8}, {"val_reward": 0.75}])
    assert checkpoint_files(tmp_path) == ["ckpt-3.json"]
    low = ProgramCheckpoint(
        filepath=tmp_path / "low-{epoch}.json", save_best_only=True, mode="min", initial_value_threshold=0.3
    )
    run_epochs(low, program, [{"val_reward": 0.5}, {"val_reward": 0.2}])
    assert [name for name in checkpoint_files(tmp_path) if name.startswith("low")] == ["low-2.json"]


def test_verbose_prints_saves_and_non_improvements(lm, tmp_path, capsys):
    program = compiled_program(lm)
    callback = ProgramCheckpoint(filepath=tmp_path / "best.json", save_best_only=True, verbose=1)
    run_epochs(callback, program, [{"val_reward": 0.5}, {"val_reward": 0.4}])
    output = capsys.readouterr().out
    assert "Epoch 1: val_reward improved from -inf to 0.50000, saving program to" in output
    assert "Epoch 2: val_reward did not improve from 0.50000" in output
    every = ProgramCheckpoint(filepath=tmp_path / "every.json", verbose="1")
    run_epochs(every, program, [{}])
    assert "Epoch 1: saving program to" in capsys.readouterr().out
    quiet = ProgramCheckpoint(filepath=tmp_path / "quiet.json", save_best_only=True, verbose=0)
    run_epochs(quiet, program, [{"val_reward": 0.5}, {"val_reward": 0.4}])
    assert capsys.readouterr().out == ""
    with pytest.raises(ValueError, match="verbose"):
        ProgramCheckpoint(filepath=tmp_path / "x.json", verbose="loud")


def test_save_variables_only_writes_only_variables(lm, tmp_path):
    program = compiled_program(lm)
    program.variables[0].update({"instructions": "saved!"})
    callback = ProgramCheckpoint(filepath=tmp_path / "v.variables.json", save_variables_only=True)
    run_epochs(callback, program, [{}])
    document = json.loads((tmp_path / "v.variables.json").read_text())
    assert document["format"] == "synalinks.variables" and "program" not in document
    fresh = compiled_program(lm)
    fresh.load_variables(tmp_path / "v.variables.json")
    assert fresh.variables[0].get("instructions") == "saved!"


def test_checkpoint_records_what_wrote_it(lm, tmp_path):
    callback = ProgramCheckpoint(filepath=tmp_path / "best.json", save_best_only=True)
    run_epochs(callback, compiled_program(lm), [{"val_reward": 0.5, "reward": 0.25}])
    info = synalinks.programs.load_program(tmp_path / "best.json").checkpoint_info
    written_at = info.pop("time")
    assert abs(written_at - time.time()) < 60
    assert info == {
        "epoch": 1,
        "batch": None,
        "global_step": 0,
        "monitor": "val_reward",
        "value": 0.5,
        "logs": {"val_reward": 0.5, "reward": 0.25},
    }
    header = synalinks.saving.read_checkpoint_info(tmp_path / "best.json")
    assert header["format"] == "synalinks.program" and header["format_version"] == 1 and header["epoch"] == 1


# save_freq


def test_integer_save_freq_counts_batches_across_epochs(lm, tmp_path):
    program = compiled_program(lm)
    x, y = make_data(6)
    callback = ProgramCheckpoint(filepath=tmp_path / "e{epoch}-b{batch}.json", save_freq=2)
    program.fit(x, y, batch_size=2, epochs=2, callbacks=[callback], verbose=0)
    # 3 batches per epoch: global batches 2, 4 and 6.
    assert checkpoint_files(tmp_path) == ["e1-b2.json", "e2-b1.json", "e2-b3.json"]
    info = synalinks.programs.load_program(tmp_path / "e2-b1.json").checkpoint_info
    assert (info["epoch"], info["batch"]) == (2, 1)


def test_should_save_on_batch_counts_jumps_and_epoch_boundaries(tmp_path):
    callback = ProgramCheckpoint(filepath=tmp_path / "c.json", save_freq=4)
    # Two batches per step: indices 1, 3, 5 in an epoch of 6 batches, then a new epoch.
    decisions = [callback._should_save_on_batch(batch) for batch in (1, 3, 5, 1, 3, 5)]
    assert decisions == [False, True, False, True, False, True]
    every_three = ProgramCheckpoint(filepath=tmp_path / "c.json", save_freq=3)
    decisions = [every_three._should_save_on_batch(batch) for batch in (0, 1, 2, 3, 0, 1, 2)]
    assert decisions == [False, False, True, False, False, True, False]
    assert ProgramCheckpoint(filepath=tmp_path / "c.json")._should_save_on_batch(0) is False


@pytest.mark.parametrize("save_freq", ["batch", 0, -2, 1.5, True, None])
def test_invalid_save_freq(tmp_path, save_freq):
    with pytest.raises(ValueError, match="save_freq"):
        ProgramCheckpoint(filepath=tmp_path / "c.json", save_freq=save_freq)


def test_batch_saving_with_save_best_only_uses_batch_logs(lm, tmp_path):
    program = compiled_program(lm)
    callback = ProgramCheckpoint(filepath=tmp_path / "best.json", monitor="reward", save_freq=1, save_best_only=True)
    callback.set_program(program)
    callback.on_train_begin()
    callback.on_epoch_begin(0)
    for batch, reward in enumerate([0.2, 0.6, 0.4]):
        callback.on_train_batch_end(batch, {"reward": reward})
    info = json.loads((tmp_path / "best.json").read_text())["metadata"]
    assert (info["epoch"], info["batch"], info["value"]) == (1, 2, 0.6)


# the documented methods


def test_checkpoint_exists(tmp_path):
    callback = ProgramCheckpoint(filepath=tmp_path / "c.json")
    assert not callback._checkpoint_exists(tmp_path / "c.json")
    (tmp_path / "c.json").write_text("{}")
    assert callback._checkpoint_exists(str(tmp_path / "c.json"))
    assert not callback._checkpoint_exists(tmp_path)


def test_get_file_path(tmp_path):
    callback = ProgramCheckpoint(filepath=str(tmp_path / "e{epoch:02d}-b{batch}-{val_reward:.3f}.json"))
    assert callback._get_file_path(0, 4, {"val_reward": 0.5}) == str(tmp_path / "e01-b5-0.500.json")
    plain = ProgramCheckpoint(filepath=str(tmp_path / "e{epoch}.json"))
    assert plain._get_file_path(2, None, {}) == str(tmp_path / "e3.json")
    with pytest.raises(KeyError, match="no field `val_reward`"):
        callback._get_file_path(0, 1, {"reward": 1.0})
    with pytest.raises(KeyError, match="no field `batch`"):
        callback._get_file_path(0, None, {"val_reward": 0.5})


def test_most_recently_modified_file_matching_pattern(tmp_path):
    callback = ProgramCheckpoint(filepath=tmp_path / "c.json")
    path_pattern = str(tmp_path / "batch{batch:02d}epoch{epoch:02d}.json")
    file_paths = [
        str(tmp_path / name) for name in ["batch03epoch02.json", "batch02epoch02.json", "batch01epoch01.json"]
    ]
    for index, file_path in enumerate(file_paths):
        pathlib.Path(file_path).write_text("{}")
        os.utime(file_path, (1_000_000 + index, 1_000_000 + index))
    (tmp_path / "other.json").write_text("{}")
    assert callback._get_most_recently_modified_file_matching_pattern(path_pattern) == file_paths[-1]
    # A tie on the most recent time: the largest of the tied paths wins.
    for file_path in file_paths[:2]:
        os.utime(file_path, (2_000_000, 2_000_000))
    assert callback._get_most_recently_modified_file_matching_pattern(path_pattern) == file_paths[0]
    assert callback._get_most_recently_modified_file_matching_pattern(str(tmp_path / "none{epoch}.json")) is None
    dotted = str(tmp_path / "ckpt-{val_reward:.2f}.json")
    (tmp_path / "ckpt-0.50.json").write_text("{}")
    (tmp_path / "ckptX0.50Xjson").write_text("{}")
    assert callback._get_most_recently_modified_file_matching_pattern(dotted) == str(tmp_path / "ckpt-0.50.json")


def test_save_program_called_directly(lm, tmp_path):
    callback = ProgramCheckpoint(filepath=tmp_path / "c-{epoch}-{batch}.json")
    callback.set_program(compiled_program(lm))
    callback._save_program(epoch=1, batch=3, logs={"reward": 0.5})
    assert checkpoint_files(tmp_path) == ["c-2-4.json"]
    best = ProgramCheckpoint(filepath=tmp_path / "best.json", save_best_only=True)
    best.set_program(compiled_program(lm))
    best._save_program(epoch=0, batch=None, logs={"val_reward": 0.5})
    best._save_program(epoch=1, batch=None, logs={"val_reward": 0.1})
    assert saved_epoch(tmp_path / "best.json") == 1


def test_best_file_survives_later_worse_epochs_in_a_real_fit(learning_lm, tmp_path):
    """With a fixed filepath and save_best_only, the file always holds the best program."""
    program = compiled_program(learning_lm)
    x, y = make_data(4)
    x_val, y_val = make_data(3, 50)
    callback = ProgramCheckpoint(filepath=tmp_path / "best.json", save_best_only=True)

    class WipeExamplesAfterEpoch1(synalinks.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 0:
                self.program.variables[0].update(
                    {"examples": [{"inputs": {"query": "q1"}, "outputs": {"answer": "1"}}]}
                )

        def on_test_begin(self, logs=None):
            if self.program.history.epoch:
                self.program.variables[0].update({"examples": []})

    history = program.fit(
        x,
        y,
        validation_data=(x_val, y_val),
        epochs=3,
        batch_size=4,
        verbose=0,
        callbacks=[WipeExamplesAfterEpoch1(), callback],
    )
    assert history.history["val_reward"][0] == 1.0 and history.history["val_reward"][-1] == 0.0
    best = synalinks.programs.load_program(tmp_path / "best.json")
    assert best.checkpoint_info["epoch"] == 1
    assert best.evaluate(x_val, y_val, verbose=0)["reward"] == 1.0
