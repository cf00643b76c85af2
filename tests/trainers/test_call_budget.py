import logging

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import correct_reply, make_data, qa_program
from tests.optimizers.test_omega import TopicEmbeddings


def omega_program(program_lm, proposer_lm):
    program = qa_program(program_lm)
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.OMEGA(
            language_model=proposer_lm, embedding_model=TopicEmbeddings(model="fake/topics"), seed=0
        ),
    )
    return program


def full_run_calls():
    program_lm = ScriptedLanguageModel(reply_function=correct_reply, latency=(0.0, 0.002))
    proposer_lm = ScriptedLanguageModel(replies=[{"instructions": "Answer well."}])
    program = omega_program(program_lm, proposer_lm)
    x, y = make_data(12)
    program.fit(x, y, validation_data=make_data(4, 50), batch_size=4, epochs=2, verbose=0, seed=0)
    return len(program_lm.requests) + len(proposer_lm.requests)


@pytest.mark.parametrize("max_calls", [0, 1, 3, 5, 11, 17, 30, 45, 60, 80])
def test_the_budget_is_never_exceeded_and_training_stops_cleanly(tmp_path, caplog, max_calls):
    """Refused calls fall mid-batch, in the optimizer's proposals, in its race and in validation."""
    needed = full_run_calls()
    assert needed > 80  # every budget below stops the run somewhere
    program_lm = ScriptedLanguageModel(reply_function=correct_reply, latency=(0.0, 0.002))
    proposer_lm = ScriptedLanguageModel(replies=[{"instructions": "Answer well."}])
    program = omega_program(program_lm, proposer_lm)
    x, y = make_data(12)
    checkpoint = synalinks.callbacks.ProgramCheckpoint(tmp_path / "ckpt" / "epoch-{epoch}.json", save_on_exception=True)
    with caplog.at_level(logging.WARNING, logger="synalinks"):
        history = program.fit(
            x,
            y,
            validation_data=make_data(4, 50),
            batch_size=4,
            epochs=2,
            verbose=0,
            seed=0,
            max_calls=max_calls,
            callbacks=[checkpoint],
        )
    sent = len(program_lm.requests) + len(proposer_lm.requests)
    assert sent <= max_calls
    assert program_lm.usage.calls + proposer_lm.usage.calls == sent
    assert f"max_calls={max_calls}" in caplog.text and "spent" in caplog.text
    # Stopped as after SIGTERM: the History is returned and the program saved.
    assert len(history.epoch) <= 2
    assert (tmp_path / "ckpt" / "interrupted.json").exists()
    loaded = synalinks.programs.load_program(tmp_path / "ckpt" / "interrupted.json")
    assert loaded.variables[0].get_json() == program.variables[0].get_json()


def test_a_run_stopped_by_its_budget_resumes_to_the_same_result(tmp_path):
    def run(max_calls, cache_name):
        program_lm = ScriptedLanguageModel(reply_function=correct_reply, name=cache_name)
        proposer_lm = ScriptedLanguageModel(replies=[{"instructions": "Answer well."}], name=cache_name + "_p")
        program = omega_program(program_lm, proposer_lm)
        x, y = make_data(12)
        backup = synalinks.callbacks.BackupAndRestore(tmp_path / cache_name)
        history = program.fit(x, y, batch_size=4, epochs=2, verbose=0, seed=0, max_calls=max_calls, callbacks=[backup])
        return program, history, len(program_lm.requests) + len(proposer_lm.requests)

    reference, reference_history, needed = run(None, "reference")
    for max_calls in (9, 23, 40):
        stopped, _, sent = run(max_calls, f"cut_{max_calls}")
        assert sent <= max_calls
        resumed, history, _ = run(None, f"cut_{max_calls}")
        assert resumed.variables[0].get_json() == reference.variables[0].get_json(), max_calls
        assert history.history["optimizer_calls"][-1] == reference_history.history["optimizer_calls"][-1]
        assert not (tmp_path / f"cut_{max_calls}" / "backup.json").exists()  # done: the backup is removed


def test_a_budget_large_enough_changes_nothing():
    needed = full_run_calls()
    program_lm = ScriptedLanguageModel(reply_function=correct_reply, latency=(0.0, 0.002))
    proposer_lm = ScriptedLanguageModel(replies=[{"instructions": "Answer well."}])
    program = omega_program(program_lm, proposer_lm)
    x, y = make_data(12)
    history = program.fit(
        x, y, validation_data=make_data(4, 50), batch_size=4, epochs=2, verbose=0, seed=0, max_calls=needed
    )
    assert len(program_lm.requests) + len(proposer_lm.requests) == needed
    assert len(history.epoch) == 2


def test_cached_replies_are_free(tmp_path):
    x, y = make_data(8)
    first = ScriptedLanguageModel(reply_function=correct_reply, cache_dir=tmp_path / "cache", name="cached")
    program = qa_program(first)
    program.compile(reward=synalinks.rewards.ExactMatch())
    program.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert len(first.requests) == 8
    again = qa_program(ScriptedLanguageModel(reply_function=correct_reply, cache_dir=tmp_path / "cache", name="cached"))
    again.compile(reward=synalinks.rewards.ExactMatch())
    history = again.fit(x, y, batch_size=8, epochs=2, verbose=0, max_calls=0)
    assert len(history.epoch) == 2 and history.history["reward"][-1] == 1.0


def test_optimizer_calls_are_in_the_history_and_the_state(tmp_path):
    program_lm = ScriptedLanguageModel(reply_function=correct_reply)
    proposer_lm = ScriptedLanguageModel(replies=[{"instructions": "Answer well."}])
    program = omega_program(program_lm, proposer_lm)
    x, y = make_data(12)
    history = program.fit(x, y, batch_size=4, epochs=2, verbose=0, seed=0)
    calls = history.history["optimizer_calls"]
    assert calls[0] > 0 and calls[1] > calls[0]
    # Training ran 24 program calls; everything else was the optimizer's.
    assert calls[-1] == len(program_lm.requests) - 24 + len(proposer_lm.requests)
    assert program.optimizer.calls == calls[-1]
    program.save(tmp_path / "p.json")
    assert synalinks.programs.load_program(tmp_path / "p.json").optimizer.calls == calls[-1]


def test_bad_budgets_are_refused():
    program = qa_program(ScriptedLanguageModel(reply_function=correct_reply))
    program.compile(reward=synalinks.rewards.ExactMatch())
    x, y = make_data(4)
    for bad in (-1, 2.5, "10", True):
        with pytest.raises(ValueError, match="max_calls"):
            program.fit(x, y, verbose=0, max_calls=bad)
