"""Every callback's state goes through one protocol: state_key, get_state, set_state."""

import inspect
import json

import synalinks
from synalinks.callbacks import CallbackList
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import learning_reply, make_data, qa_program

STATEFUL = ("History", "EarlyStopping[val_reward]", "ProgramCheckpoint[")


def _callbacks(folder):
    return [
        synalinks.callbacks.EarlyStopping(patience=5, restore_best_variables=True, stop_at=None),
        synalinks.callbacks.ProgramCheckpoint(folder / "c-{epoch}.json", save_freq=3, save_top_k=2),
        synalinks.callbacks.CSVLogger(folder / "log.csv"),
        synalinks.callbacks.TerminateOnNaN(),
    ]


def _trained(folder):
    program = qa_program(ScriptedLanguageModel(reply_function=learning_reply))
    program.compile(
        reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot(seed=0, nb_candidates=0)
    )
    x, y = make_data(8)
    program.fit(x, y, validation_data=make_data(4, 20), batch_size=2, epochs=3, verbose=0, callbacks=_callbacks(folder))
    return program


def test_every_callback_state_round_trips_through_json(tmp_path):
    program = _trained(tmp_path)
    states = program.get_training_state()["callback_states"]
    assert {key.split("[")[0] for key in states} == {"History", "EarlyStopping", "ProgramCheckpoint", "CSVLogger"}
    assert len(states["History"]["epoch"]) == 3
    assert states["EarlyStopping[val_reward]"]["best"] == max(states["History"]["history"]["val_reward"])
    checkpoint_state = next(state for key, state in states.items() if key.startswith("ProgramCheckpoint["))
    assert checkpoint_state["entries"] and checkpoint_state["schedule"]["batches_seen"] == 12 % 3

    fresh = CallbackList([synalinks.callbacks.History(), *_callbacks(tmp_path)], program=program)
    assert fresh.get_state().keys() <= states.keys()
    fresh.set_state(json.loads(json.dumps(states)))
    assert fresh.get_state() == states


def test_two_callbacks_of_one_kind_keep_apart(tmp_path):
    first = synalinks.callbacks.EarlyStopping(monitor="reward")
    second = synalinks.callbacks.EarlyStopping(monitor="reward")
    first.wait, second.wait = 1, 2
    callbacks = CallbackList([first, second])
    states = callbacks.get_state()
    assert list(states) == ["EarlyStopping[reward]", "EarlyStopping[reward]#1"]
    first.wait = second.wait = 0
    callbacks.set_state(states)
    assert (first.wait, second.wait) == (1, 2)


def test_each_callback_class_states_its_state_or_none(tmp_path):
    for name in synalinks.callbacks.__all__:
        cls = getattr(synalinks.callbacks, name)
        if name in ("Callback", "CallbackList", "MonitorCallback") or not inspect.isclass(cls):
            continue
        required = [
            p
            for p in inspect.signature(cls).parameters.values()
            if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD
        ]
        arguments = {"filepath": tmp_path / f"{name}.json", "backup_dir": tmp_path / "backup"}
        callback = cls(**{p.name: arguments[p.name] for p in required})
        state = callback.get_state()
        assert isinstance(callback.state_key, str) and callback.state_key
        if state is not None:
            again = cls(**{p.name: arguments[p.name] for p in required})
            again.set_state(json.loads(json.dumps(state)))
            assert again.get_state() == state, name
