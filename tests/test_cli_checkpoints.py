import json
import re
import subprocess
import sys

import pytest

import synalinks
from synalinks.cli import main
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import learning_reply, make_data, qa_program


@pytest.fixture
def trained_folder(tmp_path):
    lm = ScriptedLanguageModel(reply_function=learning_reply, name="cli_lm")
    program = qa_program(lm)
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(seed=0),
        metrics=[synalinks.metrics.Accuracy()],
    )
    program.variables[0].update(
        {"instructions": "Answer briefly.", "examples": [{"inputs": {"query": "q1"}, "outputs": {"answer": "1"}}]}
    )
    x, y = make_data(8)
    folder = tmp_path / "ckpts"
    program.fit(
        x,
        y,
        validation_data=make_data(4, 50),
        epochs=3,
        batch_size=4,
        verbose=0,
        callbacks=[
            synalinks.callbacks.ProgramCheckpoint(folder / "ckpt-{epoch:02d}.json"),
            synalinks.callbacks.CSVLogger(tmp_path / "history.csv"),
        ],
    )
    return tmp_path, folder


def run(*argv):
    lines = []
    status = main(list(argv), out=lines.append)
    return status, "\n".join(lines)


def test_ls_marks_the_best(trained_folder):
    _, folder = trained_folder
    status, output = run("checkpoints", "ls", str(folder))
    assert status == 0
    lines = output.splitlines()
    assert lines[0].split() == ["file", "epoch", "step", "monitored", "size", "time"]
    assert len(lines) == 4 and sum(line.startswith("*") for line in lines) == 1
    assert "ckpt-01.json" in output and "val_reward=" in output and "KiB" in output
    assert run("checkpoints", "ls", str(folder / "missing"))[0] == 1


def test_ls_of_a_folder_of_runs_points_to_the_runs_one_level_down(trained_folder):
    root, folder = trained_folder
    status, output = run("checkpoints", "ls", str(root))
    assert status == 0
    assert f"{folder}  (3 checkpoints)" in output and f"synalinks checkpoints ls {folder}" in output


def test_show_prints_instructions_and_examples(trained_folder):
    _, folder = trained_folder
    status, output = run("checkpoints", "show", str(folder / "ckpt-01.json"))
    assert status == 0
    assert "program 'qa' (Sequential)" in output
    assert "instructions: Answer briefly." in output
    example = re.search(r'example 1: \{"query": "q(\d+)"\} -> \{"answer": "(\d)"\}', output)
    assert example, output
    assert int(example.group(2)) == int(example.group(1)) % 3, "a training sample with its true answer"
    assert "written at epoch 1" in output


def test_show_says_why_the_best_was_chosen(trained_folder):
    _, folder = trained_folder
    status, output = run("checkpoints", "show", str(folder / "ckpt-03.json"))
    assert status == 0
    state = json.loads((folder / "ckpt-03.json").read_text())["optimizer_state"]
    assert f"optimizer: {state['calls']} LM calls asked for; the last 3 of 3 races:" in output
    last = state["trials"][-1]
    winner = last["candidates"][last["chosen"]]
    assert (
        f"   * {winner['examples']} examples, instructions Answer briefly.: "
        f"score {winner['score']:.3f} on {winner['samples']} samples"
    ) in output
    assert output.count("   * ") == 3


def test_diff_shows_what_training_changed(trained_folder, tmp_path):
    _, folder = trained_folder
    program = synalinks.programs.load_program(folder / "ckpt-03.json")
    program.variables[0].update({"instructions": "Answer with one digit.", "examples": []})
    program.save(tmp_path / "changed.json")
    status, output = run("checkpoints", "diff", str(folder / "ckpt-03.json"), str(tmp_path / "changed.json"))
    assert status == 0
    assert "-Answer briefly." in output and "+Answer with one digit." in output
    assert "  - example" in output
    assert (
        run("checkpoints", "diff", str(folder / "ckpt-03.json"), str(folder / "ckpt-03.json"))[1]
        == "No variable changed."
    )


def test_plot_writes_a_png_from_a_folder_or_a_csv(trained_folder):
    tmp_path, folder = trained_folder
    for source, name in ((folder, "from_folder.png"), (tmp_path / "history.csv", "from_csv.png")):
        status, output = run("checkpoints", "plot", str(source), "-o", str(tmp_path / name))
        assert status == 0
        data = (tmp_path / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_errors_name_the_file_and_the_module_entry_point_works(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = subprocess.run(
        [sys.executable, "-m", "synalinks", "checkpoints", "show", str(bad)], capture_output=True, text=True
    )
    assert result.returncode == 2 and "bad.json" in result.stderr and "not valid JSON" in result.stderr
