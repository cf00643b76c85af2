"""A functional program with Branch, ChainOfThought and a tool-using module trains, checkpoints and reloads."""

import asyncio
import json

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query, make_data
from tests.modules.replies import universal_reply
from tests.modules.test_module_library import add


def composite_program(lm):
    async def build():
        inputs = synalinks.Input(data_model=Query)
        easy, hard = await synalinks.Branch(
            question="Is the query easy or hard?",
            labels=["easy", "hard"],
            branches=[
                synalinks.Generator(data_model=Answer, language_model=lm, name="direct"),
                synalinks.ChainOfThought(data_model=Answer, language_model=lm, name="careful"),
            ],
            language_model=lm,
            return_decision=False,
            name="router",
        )(inputs)
        answer = await synalinks.OutMask(mask=["thinking"], name="drop_thinking")(easy | hard)
        action = await synalinks.Action(add, language_model=lm, name="adder")(inputs)
        return synalinks.Program(inputs=inputs, outputs=[answer, action], name="composite")

    return asyncio.run(build())


def test_composite_program_trains_checkpoints_and_reloads(tmp_path):
    lm = ScriptedLanguageModel(reply_function=universal_reply, name="composite_lm")
    program = composite_program(lm)

    # The program has two outputs; a sample's prediction is the list of both.
    class FirstOutputExactMatch(synalinks.rewards.Reward):
        async def __call__(self, y_true, y_pred):
            if y_pred is None or y_pred[0] is None:
                return 0.0
            return 1.0 if y_pred[0].get_json() == y_true.get_json() else 0.0

    program.compile(reward=FirstOutputExactMatch(), optimizer=synalinks.optimizers.RandomFewShot(seed=0))
    x, y = make_data(8)
    path = tmp_path / "composite.json"
    history = program.fit(
        x,
        y,
        validation_data=make_data(4, 20),
        batch_size=4,
        epochs=2,
        verbose=0,
        callbacks=[synalinks.callbacks.ProgramCheckpoint(filepath=path)],
    )
    assert history.history["val_reward"] == [1.0, 1.0]
    pools = {v.path: v.get("predictions") for v in program.trainable_variables}
    assert all(pools.values()), "every generator (both branches were taken) collected credited predictions"
    loaded = synalinks.programs.load_program(path, compile=False)
    saved = json.loads(path.read_text())["variables"]
    assert [entry["module"] for entry in saved] == ["router_decision", "direct", "careful", "adder_arguments"]
    assert [v.get_json() for v in loaded.variables] == [entry["variables"]["state"] for entry in saved]
    assert [v.get_json() for v in loaded.variables] == [v.get_json() for v in program.variables]
    for query in ("q1", "q2", "q9"):
        original = asyncio.run(program(Query(query=query)))
        reloaded = asyncio.run(loaded(Query(query=query)))
        assert [o.get_json() for o in reloaded] == [o.get_json() for o in original]


def test_summary_shows_every_module_with_schema_and_trainability():
    program = composite_program(ScriptedLanguageModel(reply_function=universal_reply))
    lines = []
    program.summary(print_fn=lines.append)
    text = lines[0]
    for row in (
        "router (Branch)",
        "router_decision (Decision)",
        "direct (Generator)",
        "careful (ChainOfThought)",
        "drop_thinking (OutMask)",
        "adder (Action)",
        "adder_arguments (Generator)",
    ):
        assert row in text, row
    careful = next(line for line in text.splitlines() if "careful (ChainOfThought)" in line)
    assert "Answer(thinking, answer)" in careful and careful.split()[-1] == "yes"
    mask = next(line for line in text.splitlines() if "drop_thinking (OutMask)" in line)
    assert mask.split()[-1] == "no"
    decision = next(line for line in text.splitlines() if "router_decision" in line)
    assert "Decision(thinking, choice)" in decision
