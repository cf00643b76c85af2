"""ProgramCheckpoint follows Keras' ModelCheckpoint conventions too."""

import math

import numpy as np
import pytest

import synalinks
from synalinks.callbacks import ProgramCheckpoint
from tests.conftest import make_data, qa_program


def test_best_and_monitor_op_are_set_at_construction(tmp_path):
    maximizing = ProgramCheckpoint(tmp_path / "a.json", mode="max")
    assert maximizing.best == -math.inf and maximizing.monitor_op is np.greater
    minimizing = ProgramCheckpoint(tmp_path / "b.json", mode="min")
    assert minimizing.best == math.inf and minimizing.monitor_op is np.less
    threshold = ProgramCheckpoint(tmp_path / "c.json", mode="max", initial_value_threshold=0.4)
    assert threshold.best == 0.4
    auto = ProgramCheckpoint(tmp_path / "d.json", monitor="val_failures")
    assert auto.monitor_op is None and auto.best is None, "auto: settled when the metrics are known"


def test_auto_mode_is_settled_at_the_first_logs(lm, tmp_path):
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.ExactMatch())
    auto = ProgramCheckpoint(tmp_path / "d.json", monitor="val_failures", save_best_only=True)
    program.fit(*make_data(2), validation_data=make_data(2, 5), verbose=0, callbacks=[auto])
    assert auto.monitor_op is np.less and auto.best == 0.0, "failures go down"


def test_a_directory_filepath_raises_an_io_error(tmp_path):
    (tmp_path / "taken.json").mkdir()
    with pytest.raises(IOError, match="non-directory filepath"):
        ProgramCheckpoint(tmp_path / "taken.json")


def test_a_program_whose_save_takes_no_metadata_is_still_checkpointed(lm, tmp_path):
    written = []

    class OwnSave(synalinks.Sequential):
        def save(self, filepath, overwrite=True):
            written.append((str(filepath), overwrite))
            super().save(filepath)

    base = qa_program(lm)
    program = OwnSave([base._values[0], base.modules[-1]], name="own")
    program.compile(reward=synalinks.rewards.ExactMatch())
    program.fit(*make_data(2), verbose=0, callbacks=[ProgramCheckpoint(tmp_path / "c.json", monitor="reward")])
    assert written == [(str(tmp_path / "c.json"), True)]
    assert (tmp_path / "c.json").is_file()
