"""Faults while writing a checkpoint: a clear error, and the previous checkpoint intact."""

import errno
import os
import tempfile

import pytest

import synalinks
from synalinks.callbacks import ProgramCheckpoint
from tests.conftest import qa_program


def prepared(lm, tmp_path):
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot())
    program.variables[0].update({"instructions": "first"})
    callback = ProgramCheckpoint(tmp_path / "c.json")
    callback.set_program(program)
    callback.on_train_begin()
    callback.on_epoch_end(0, {"val_reward": 0.5})
    program.variables[0].update({"instructions": "second"})
    return program, callback


def assert_previous_intact(tmp_path):
    loaded = synalinks.programs.load_program(tmp_path / "c.json")
    assert loaded.variables[0].get("instructions") == "first"
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file is left behind"


def test_serializer_raising(lm, tmp_path, monkeypatch):
    program, callback = prepared(lm, tmp_path)

    def broken_config():
        raise TypeError("this module cannot be serialized")

    monkeypatch.setattr(program.modules[1], "get_config", broken_config)
    with pytest.raises(RuntimeError, match="serializing it failed.*Nothing was written"):
        callback.on_epoch_end(1, {"val_reward": 0.6})
    assert_previous_intact(tmp_path)


@pytest.mark.parametrize(
    "target, error",
    [
        ("os.fsync", OSError(errno.ENOSPC, "No space left on device")),
        ("tempfile.mkstemp", PermissionError(errno.EACCES, "Permission denied")),
        ("os.replace", OSError(errno.EXDEV, "Rename refused")),
    ],
)
def test_disk_faults(lm, tmp_path, monkeypatch, target, error):
    program, callback = prepared(lm, tmp_path)
    module_name, function = target.split(".")
    module = {"os": os, "tempfile": tempfile}[module_name]
    real = getattr(module, function)

    def failing(*args, **kwargs):
        if target == "os.fsync":
            real(*args, **kwargs)
        raise error

    monkeypatch.setattr(module, function, failing)
    with pytest.raises(OSError) as raised:
        callback.on_epoch_end(1, {"val_reward": 0.6})
    monkeypatch.undo()
    message = str(raised.value)
    assert "c.json" in message and "unchanged" in message and error.strerror in message
    assert raised.value.errno == error.errno
    assert_previous_intact(tmp_path)
