import csv
import math

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import answer_of, correct_reply, make_data, qa_program


def compiled(program):
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        # No candidate trials: these tests count the training loop's own LM calls.
        optimizer=synalinks.optimizers.RandomFewShot(seed=0, nb_candidates=0),
        metrics=[synalinks.metrics.Accuracy()],
    )
    return program


def test_csv_logger_writes_one_row_per_epoch(lm, tmp_path):
    program = compiled(qa_program(lm))
    x, y = make_data(4)
    path = tmp_path / "log.csv"
    program.fit(
        x,
        y,
        validation_data=make_data(2, 10),
        validation_freq=2,
        epochs=3,
        batch_size=2,
        verbose=0,
        callbacks=[synalinks.callbacks.CSVLogger(path)],
    )
    rows = list(csv.DictReader(path.open()))
    assert [row["epoch"] for row in rows] == ["1", "2", "3"]
    assert rows[0]["reward"] == "1.0" and rows[0]["val_reward"] == "NA" and rows[1]["val_reward"] == "1.0"
    assert list(rows[0])[:2] == ["epoch", "reward"]
    program.fit(x, y, epochs=1, verbose=0, callbacks=[synalinks.callbacks.CSVLogger(path, append=True)])
    assert len(list(csv.DictReader(path.open()))) == 4
    program.fit(x, y, epochs=1, verbose=0, callbacks=[synalinks.callbacks.CSVLogger(path, separator=";")])
    assert path.read_text().splitlines()[0].startswith("epoch;reward;failures")


def test_early_stopping_with_its_defaults_on_a_real_program():
    # The program's model gets worse every epoch: validation reward 1, then lower.
    def run(early_stopping):
        calls = {"n": 0}

        def degrading(messages, schema, index):
            calls["n"] += 1
            return {"answer": answer_of(messages) if calls["n"] <= 12 else "wrong"}

        program = compiled(qa_program(ScriptedLanguageModel(reply_function=degrading)))
        x, y = make_data(8)
        return program.fit(
            x,
            y,
            validation_data=make_data(4, 20),
            epochs=10,
            batch_size=4,
            verbose=0,
            callbacks=[early_stopping],
        )

    history = run(synalinks.callbacks.EarlyStopping())
    assert history.history["val_reward"] == [1.0], "stop_at=1.0 by default: a perfect reward ends training"
    history = run(synalinks.callbacks.EarlyStopping(stop_at=None))
    assert history.history["val_reward"] == [1.0, 0.0]
    assert len(history.epoch) == 2


def test_early_stopping_patience_min_delta_baseline_restore_and_warm_up(lm):
    program = compiled(qa_program(lm))

    def drive(callback, values):
        callback.set_program(program)
        program.stop_training = False
        callback.on_train_begin()
        for epoch, value in enumerate(values):
            program.variables[0].update({"instructions": f"epoch {epoch}"})
            callback.on_epoch_end(epoch, {"val_reward": value})
            if program.stop_training:
                break
        callback.on_train_end()
        return epoch

    assert drive(synalinks.callbacks.EarlyStopping(patience=2), [0.5, 0.6, 0.6, 0.6, 0.9]) == 3
    assert drive(synalinks.callbacks.EarlyStopping(patience=1, min_delta=0.2), [0.5, 0.6, 0.65, 0.9]) == 1
    assert drive(synalinks.callbacks.EarlyStopping(patience=1, baseline=0.8), [0.5, 0.6, 0.7, 0.9]) == 1
    assert drive(synalinks.callbacks.EarlyStopping(start_from_epoch=2), [0.9, 0.1, 0.5, 0.4, 0.3]) == 3
    restore = synalinks.callbacks.EarlyStopping(patience=1, restore_best_variables=True)
    drive(restore, [0.5, 0.9, 0.3, 0.2])
    assert program.variables[0].get("instructions") == "epoch 1"
    lower = synalinks.callbacks.EarlyStopping(monitor="val_loss", mode="min", patience=0)
    lower.set_program(program)
    program.stop_training = False
    lower.on_train_begin()
    for epoch, value in enumerate([0.5, 0.4, 0.45]):
        lower.on_epoch_end(epoch, {"val_loss": value})
    assert program.stop_training and lower.best == 0.4


def test_early_stopping_warns_when_the_monitor_is_missing(lm):
    program = compiled(qa_program(lm))
    x, y = make_data(4)
    with pytest.warns(UserWarning, match="val_reward, which is not in the logs"):
        history = program.fit(x, y, epochs=2, verbose=0, callbacks=[synalinks.callbacks.EarlyStopping()])
    assert history.epoch == [0, 1]


def test_lambda_callback(lm):
    seen = []
    program = compiled(qa_program(lm))
    x, y = make_data(4)
    callback = synalinks.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append((epoch, logs["reward"])),
        on_train_end=lambda logs: seen.append("end"),
    )
    program.fit(x, y, epochs=2, verbose=0, callbacks=[callback])
    assert seen == [(0, 1.0), (1, 1.0), "end"]
    with pytest.raises(ValueError, match="unknown hooks"):
        synalinks.callbacks.LambdaCallback(on_epoch_finish=print)


def test_terminate_on_nan(lm, capsys):
    program = compiled(qa_program(lm))
    program.compile(reward=synalinks.rewards.RewardFunctionWrapper(lambda t, p: math.nan))
    x, y = make_data(6)
    history = program.fit(x, y, epochs=3, batch_size=2, verbose=0, callbacks=[synalinks.callbacks.TerminateOnNaN()])
    assert len(lm.requests) == 2, "stopped after the first batch"
    assert history.epoch == [0]
    assert "reward is nan, terminating training" in capsys.readouterr().out


def test_progress_bar_shows_lm_usage(capsys):
    lm = ScriptedLanguageModel(reply_function=correct_reply)
    program = compiled(qa_program(lm))
    x, y = make_data(4)
    program.fit(x, y, epochs=1, batch_size=2, verbose=2)
    output = capsys.readouterr().out
    assert "lm: 4 calls," in output and "tokens, $0.0000" in output
    assert "Epoch 1/1" not in output, "verbose=2 prints one line per epoch"


def test_monitor_logs_to_a_local_mlflow_file_store(lm, tmp_path, monkeypatch):
    import mlflow

    # MLflow 3 keeps the file store for those who ask for it.
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")

    program = compiled(qa_program(lm))
    x, y = make_data(4)
    uri = (tmp_path / "mlruns").as_uri()
    monitor = synalinks.callbacks.Monitor(experiment_name="tests", run_name="qa-run", tracking_uri=uri)
    program.fit(x, y, validation_data=make_data(2, 10), epochs=2, batch_size=2, verbose=0, callbacks=[monitor])
    client = mlflow.tracking.MlflowClient(tracking_uri=uri)
    run = client.get_run(monitor.run_id)
    assert run.info.status == "FINISHED" and run.info.run_name == "qa-run"
    assert run.data.params["optimizer"] == "RandomFewShot" and run.data.params["fit_epochs"] == "2"
    assert [m.value for m in client.get_metric_history(monitor.run_id, "val_reward")] == [1.0, 1.0]
    assert any(m.key.startswith("lm_calls/") for m in client.get_metric_history(monitor.run_id, f"lm_calls/{lm.model}"))
    artifacts = [item.path for item in client.list_artifacts(monitor.run_id)]
    assert "program.json" in artifacts


def test_monitor_takes_synalinks_arguments_batches_tags_plot_and_resume(lm, tmp_path, monkeypatch):
    import mlflow

    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    uri = (tmp_path / "mlruns").as_uri()
    program = compiled(qa_program(lm))
    x, y = make_data(4)
    monitor = synalinks.callbacks.Monitor(
        tracking_uri=uri, log_batch_metrics=True, tags={"team": "qa"}, log_program_model=False
    )
    program.fit(x, y, epochs=1, batch_size=2, verbose=0, callbacks=[monitor])
    client = mlflow.tracking.MlflowClient(tracking_uri=uri)
    run = client.get_run(monitor.run_id)
    assert run.data.tags["team"] == "qa" and client.get_experiment(run.info.experiment_id).name == program.name
    assert [m.step for m in client.get_metric_history(monitor.run_id, "batch_reward")] == [1, 2]
    artifacts = [item.path for item in client.list_artifacts(monitor.run_id)]
    assert "program.png" in artifacts and "program.json" not in artifacts

    resumed = synalinks.callbacks.Monitor(tracking_uri=uri, run_id=monitor.run_id, resume=True, log_program_plot=False)
    program.fit(x, y, epochs=1, batch_size=2, verbose=0, callbacks=[resumed])
    assert resumed.run_id == monitor.run_id
    assert len(client.get_metric_history(monitor.run_id, "reward")) == 2
    with pytest.raises(ValueError, match="run_id"):
        synalinks.callbacks.Monitor(resume=True)
