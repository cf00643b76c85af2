import os
import subprocess
import sys

import pytest

import synalinks
from synalinks.cli import main
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import make_data, qa_program


@pytest.fixture
def trained_program_file(tmp_path):
    program = qa_program(ScriptedLanguageModel(reply_function=lambda m, s, i: {"answer": "1"}))
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot(seed=0))
    x, y = make_data(40)
    program.fit(x, y, batch_size=8, epochs=1, verbose=0)
    path = tmp_path / "big.json"
    program.save(path)
    return path


@pytest.mark.embedded
@pytest.mark.slow
def test_train_on_the_embedded_model_improves_and_keeps_the_best(tmp_path):
    lines = []
    # The default example, extraction: the untrained model gets no order right; examples teach it.
    status = main(["train", "--epochs", "1", "--output", str(tmp_path), "--verbose", "0"], out=lines.append)
    output = "\n".join(lines)
    assert status == 0
    before = float(output.split("validation accuracy before training: ")[1].split()[0])
    after = float(output.split("validation accuracy of the best checkpoint: ")[1].split()[0])
    assert after > before, output
    best = tmp_path / "extraction" / "best.program.json"
    assert f"best program: {best}" in output
    assert synalinks.saving.read_checkpoint_info(best)["monitor"] == "val_accuracy"
    assert (tmp_path / "extraction" / "history.csv").is_file()
    assert output.count(" -> {'quantity':") == 3


def test_an_example_the_embedded_model_cannot_learn_is_refused_before_training(tmp_path):
    lines = []
    status = main(["train", "--example", "arithmetic", "--output", str(tmp_path)], out=lines.append)
    assert status == 2
    assert "needs a provider model" in lines[0] and "--model openai/gpt-4o-mini" in lines[0]
    assert os.listdir(tmp_path) == [], "nothing ran"


def test_train_arguments_are_checked():
    result = subprocess.run(
        [sys.executable, "-m", "synalinks", "train", "--example", "poetry"], capture_output=True, text=True
    )
    assert result.returncode == 2 and "invalid choice" in result.stderr
    assert main(["train", "--epochs", "0"]) == 2
    assert main(["train", "--max-calls", "-1"]) == 2
    version = subprocess.run([sys.executable, "-m", "synalinks", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.strip() == f"synalinks {synalinks.__version__}"
    help_text = subprocess.run(
        [sys.executable, "-m", "synalinks", "train", "--help"], capture_output=True, text=True
    ).stdout
    assert "(default: extraction)" in help_text and "(default: 3)" in help_text


def test_a_closed_pipe_ends_the_command_quietly(trained_program_file):
    reader = subprocess.Popen(
        f"{sys.executable} -m synalinks checkpoints show {trained_program_file} | head -1",
        shell=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = reader.communicate(timeout=60)
    assert out.count("\n") == 1 and "BrokenPipeError" not in err and "Traceback" not in err


@pytest.mark.embedded
@pytest.mark.slow
def test_init_writes_a_project_that_trains(tmp_path):
    lines = []
    assert main(["init", str(tmp_path / "desks")], out=lines.append) == 0
    assert sorted(os.listdir(tmp_path / "desks")) == [".gitignore", "data.py", "program.py", "train.py"]
    assert "checkpoints/" in (tmp_path / "desks" / ".gitignore").read_text()
    env = {**os.environ, "EPOCHS": "1", "PYTHONPATH": os.getcwd()}
    result = subprocess.run(
        [sys.executable, "train.py"], cwd=tmp_path / "desks", env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    # One epoch on the embedded model teaches the desks from the data's examples: far above answering
    # the same desk for every message (the majority class, 5 of the 15 validation messages).
    before = float(result.stdout.split("accuracy before training: ")[1].split()[0])
    after = float(result.stdout.split("accuracy of the best checkpoint: ")[1].split()[0])
    majority = 5 / 15
    assert after >= majority + 0.3 and after >= before + 0.25, result.stdout
    assert (tmp_path / "desks" / "checkpoints" / "best.program.json").is_file()
    assert main(["init", str(tmp_path / "desks")], out=lines.append) == 1, "never overwrites"


def test_plot_program_and_plot_history(tmp_path):
    lm = ScriptedLanguageModel(reply_function=lambda m, s, i: {"answer": "1"})
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.Accuracy()])
    x, y = make_data(4)
    history = program.fit(x, y, validation_data=make_data(2, 9), epochs=2, verbose=0)
    for path in (
        synalinks.utils.plot_program(program, to_file=tmp_path / "p.png"),
        synalinks.utils.plot_history(history, to_file=tmp_path / "h.png"),
    ):
        data = open(path, "rb").read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
