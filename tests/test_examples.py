"""The examples and the benchmark script run as written, offline."""

import json
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def run_script(path, tmp_path, *args, extra_env=None):
    env = {**os.environ, "SYNALINKS_EXAMPLE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), **(extra_env or {})}
    result = subprocess.run(
        [sys.executable, str(path), *args], capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_seed_first_example_script(tmp_path):
    output = run_script(ROOT / "examples" / "checkpoint_best_program.py", tmp_path)
    assert "val_reward before training: 0.50" in output
    assert "val_reward of the best checkpoint: 1.00" in output
    assert "7 is odd" in output
    document = json.loads((tmp_path / "checkpoint.program.json").read_text())
    assert document["format"] == "synalinks.program" and document["program"]["config"]["name"] == "parity"
    assert document["metadata"]["value"] == 1.0


def test_seed_second_example_script(tmp_path):
    output = run_script(ROOT / "examples" / "checkpoint_best_variables.py", tmp_path)
    assert "val_accuracy untrained: 0.50" in output
    assert "val_accuracy with the best checkpointed variables: 1.00" in output
    document = json.loads((tmp_path / "checkpoint.variables.json").read_text())
    assert document["format"] == "synalinks.variables"
    assert document["metadata"]["monitor"] == "val_accuracy"


@pytest.mark.embedded
@pytest.mark.slow
def test_benchmark_script_prints_every_figure(tmp_path):
    # W8 trains on the embedded model for minutes: run by hand (see the README's benchmark figures).
    workloads = "W1,W2,W3,W4,W5,W6,W7"
    output = run_script(
        ROOT / "benchmarks" / "run.py",
        tmp_path,
        "--workloads",
        workloads,
        "--repeats",
        "1",
        "--json",
        str(tmp_path / "b.json"),
    )
    names = {line.split()[0] for line in output.splitlines() if line.strip()}
    assert {"w1_us_per_sample", "w2_efficiency", "w3_lm_calls", "w4_load_program_ms", "w5_import_wall"} <= names
    report = json.loads((tmp_path / "b.json").read_text())
    assert report["w3_lm_calls"]["median"] == 160


@pytest.mark.embedded
@pytest.mark.slow
def test_offline_training_example_improves_on_the_embedded_model(tmp_path):
    # As written (3 epochs): W6 in the benchmark test is the same run, so it replays these replies.
    output = run_script(ROOT / "examples" / "train_sentiment_offline.py", tmp_path)
    before = float(output.split("validation accuracy before training: ")[1].split()[0])
    after = float(output.split("validation accuracy of the best checkpoint: ")[1].split()[0])
    # The untrained 135M model already gets most reviews right (0.95 here): training must still improve it.
    assert after > before, output
    assert (tmp_path / "sentiment.program.json").is_file()


@pytest.mark.embedded
def test_functional_branches_example(tmp_path):
    output = run_script(ROOT / "examples" / "functional_branches.py", tmp_path)
    assert "router (Branch)" in output and "solver (ChainOfThought)" in output
    assert "'What is 12 plus 30?' -> math:" in output and "| review:" in output


@pytest.mark.embedded
@pytest.mark.slow
def test_tool_agent_example(tmp_path):
    output = run_script(ROOT / "examples" / "tool_agent.py", tmp_path)
    assert output.count("tool calls:") == 2 and output.count("answer:") == 2
    assert "tool results: ['14']" in output and "answer: 14 (expected 14)" in output, (
        "the embedded model completes a one-tool task through the constrained-decoding fallback"
    )


@pytest.mark.embedded
@pytest.mark.slow
def test_train_with_omega_example(tmp_path):
    output = run_script(
        ROOT / "examples" / "train_with_omega.py", tmp_path, extra_env={"SYNALINKS_EXAMPLE_EPOCHS": "1"}
    )
    assert "validation accuracy per epoch: [" in output and "instructions found:" in output


def test_resume_with_backup_example(tmp_path):
    output = run_script(ROOT / "examples" / "resume_with_backup.py", tmp_path)
    assert "interrupted: simulated crash in epoch 2" in output
    assert "resumed from the backup: True" in output and "epochs in the history: [1, 2, 3]" in output


def test_provider_model_example_against_a_local_server(tmp_path):
    from tests.language_models.stub_openai_server import StubOpenAIServer

    with StubOpenAIServer(lambda body: {"answer": "Paris"}) as server:
        output = run_script(
            ROOT / "examples" / "provider_model.py",
            tmp_path,
            extra_env={
                "SYNALINKS_API_BASE": server.url,
                "OPENAI_API_KEY": "sk-test",
                "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            },
        )
    assert "{'answer': 'Paris'}" in output and "'calls': 1" in output


@pytest.mark.embedded
@pytest.mark.slow
def test_rag_example_answers_from_markdown_trains_and_reloads_the_best(tmp_path):
    output = run_script(
        ROOT / "examples" / "rag_markdown_offline.py", tmp_path, extra_env={"SYNALINKS_EXAMPLE_EPOCHS": "1"}
    )
    assert "sections stored: 32" in output
    before = float(output.split("validation accuracy before training: ")[1].split()[0])
    best = float(output.split("validation accuracy of the best checkpoint: ")[1].split()[0])
    assert best > before, output
    assert "Which port does Quill listen on? -> 6420" in output, "the reloaded best program answers from the pages"
    assert (tmp_path / "services_rag.program.json").exists() and (tmp_path / "rag_knowledge").is_dir()


def test_provider_agent_example_against_a_local_server(tmp_path):
    import json as json_module

    from tests.language_models.stub_openai_server import StubOpenAIServer

    def call(name, arguments, index):
        return {
            "id": f"c{index}",
            "type": "function",
            "function": {"name": name, "arguments": json_module.dumps(arguments)},
        }

    def reply(body):
        if "response_format" in body:  # the final answer, held to the Bill schema
            return {"total": 6.0}
        results = [m for m in body["messages"] if m["role"] == "tool"]
        if not results:
            return {
                "message": {
                    "content": None,
                    "tool_calls": [call("price_of", {"item": "apple"}, 0), call("price_of", {"item": "bread"}, 1)],
                }
            }
        if len(results) == 2:
            return {
                "message": {
                    "content": None,
                    "tool_calls": [call("multiply", {"a": 3, "b": 0.5}, 2), call("multiply", {"a": 2, "b": 2.25}, 3)],
                }
            }
        return {"message": {"content": "1.5 + 4.5 = 6.0"}}

    with StubOpenAIServer(reply) as server:
        output = run_script(
            ROOT / "examples" / "provider_agent.py",
            tmp_path,
            extra_env={
                "SYNALINKS_API_BASE": server.url,
                "OPENAI_API_KEY": "sk-test",
                "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            },
        )
    assert 'call price_of({"item": "apple"})' in output and "  -> 4.5" in output
    assert "total: 6.0" in output
