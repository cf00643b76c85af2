"""EarlyStopping(stop_at), plot_program's arguments: Synalinks' names and defaults."""

import asyncio

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query, correct_reply, make_data, qa_program


def _fit(early_stopping, reply=correct_reply):
    program = qa_program(ScriptedLanguageModel(reply_function=reply))
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot(seed=0))
    x, y = make_data(4)
    return program.fit(
        x, y, validation_data=make_data(3, 9), epochs=5, batch_size=2, verbose=0, callbacks=[early_stopping]
    )


def test_early_stopping_stops_when_stop_at_is_reached():
    assert synalinks.callbacks.EarlyStopping().stop_at == 1.0
    assert len(_fit(synalinks.callbacks.EarlyStopping()).epoch) == 1
    assert len(_fit(synalinks.callbacks.EarlyStopping(stop_at=None, patience=10)).epoch) == 5
    two_thirds = lambda m, s, i: {"answer": "0"}  # noqa: E731  right for q9 only: val_reward 1/3
    assert len(_fit(synalinks.callbacks.EarlyStopping(stop_at=0.3, patience=10), two_thirds).epoch) == 1
    assert len(_fit(synalinks.callbacks.EarlyStopping(stop_at=0.5, patience=10), two_thirds).epoch) == 5
    with pytest.raises(TypeError, match="stop_at"):
        synalinks.callbacks.EarlyStopping(stop_at="high")


def test_plot_program_takes_synalinks_arguments(tmp_path):
    async def build():
        inputs = synalinks.Input(data_model=Query)
        outputs = await synalinks.Generator(data_model=Answer, language_model=ScriptedLanguageModel(replies=[]))(inputs)
        return synalinks.Program(inputs=inputs, outputs=outputs, name="plotted")

    program = asyncio.run(build())
    path = synalinks.utils.plot_program(
        program,
        to_folder=tmp_path / "plots",
        show_module_names=True,
        show_trainable=True,
        show_schemas=True,
        rankdir="LR",
        dpi=50,
    )
    assert str(path) == str(tmp_path / "plots" / "plotted.png")
    small = open(path, "rb").read()
    large = open(synalinks.utils.plot_program(program, to_file=tmp_path / "big.png", dpi=200), "rb").read()
    assert small[:8] == large[:8] == b"\x89PNG\r\n\x1a\n" and len(large) > len(small)
    with pytest.raises(ValueError, match="rankdir"):
        synalinks.utils.plot_program(program, to_file=tmp_path / "x.png", rankdir="BT")
