"""Loading is safe by default: no function calls, no unallowed servers, no secrets in files, documented errors."""

import asyncio
import json
import logging

import litellm
import numpy as np
import pytest

import synalinks
from synalinks.callbacks import BackupAndRestore, ProgramCheckpoint
from synalinks.saving import DeserializationError, FileFormatError, register_synalinks_serializable
from tests.conftest import Answer, Query, make_data, qa_program
from tests.language_models.stub_openai_server import StubOpenAIServer

VICTIMS = []


@register_synalinks_serializable(package="tests_safe_loading")
def cleanup(path):
    """A user's own registered helper that deletes a file: a file must not be able to call it."""
    VICTIMS.append(path)
    import os

    os.remove(path)


def hosted_program(**language_model_kwargs):
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini", **language_model_kwargs)
    program = qa_program(language_model)
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot())
    return program


def edit(path, change):
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def test_a_file_cannot_make_loading_call_a_registered_function(tmp_path):
    victim = tmp_path / "precious.txt"
    victim.write_text("keep")
    path = tmp_path / "p.json"
    hosted_program().save(path)
    edit(
        path,
        lambda d: d["compile_config"].update(
            reward={
                "class_name": "cleanup",
                "registered_name": "tests_safe_loading>cleanup",
                "config": {"path": str(victim)},
            }
        ),
    )
    with pytest.raises(DeserializationError) as caught:
        synalinks.programs.load_program(path)
    message = str(caught.value)
    assert "tests_safe_loading>cleanup" in message and "safe_mode=False" in message
    assert "$.compile_config.reward" in message
    assert victim.read_text() == "keep" and VICTIMS == []
    # A reference to a registered function (no arguments) is fine: that is how reward functions are saved.
    edit(
        path,
        lambda d: d["compile_config"].update(
            reward={"class_name": "function", "registered_name": "tests_safe_loading>cleanup"}
        ),
    )
    assert synalinks.programs.load_program(path).reward.fn is cleanup
    assert victim.exists()


def test_a_file_cannot_point_a_language_model_at_a_server_the_user_did_not_allow(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-users-real-key-123456")
    with StubOpenAIServer(reply=lambda body: {"answer": "x"}) as server:
        path = tmp_path / "p.json"
        hosted_program().save(path)
        edit(
            path,
            lambda d: d["program"]["config"]["modules"][0]["config"]["language_model"]["config"].update(
                api_base=server.url
            ),
        )
        with pytest.raises(DeserializationError) as caught:
            synalinks.programs.load_program(path)
        message = str(caught.value)
        assert server.url in message and "allowed_api_bases" in message and "safe_mode=False" in message
        assert server.requests == []
        allowed = synalinks.programs.load_program(path, allowed_api_bases=[server.url])
        assert allowed.modules[-1].language_model.api_base == server.url
        mine = synalinks.LanguageModel(model="openai/gpt-4o-mini")
        replaced = synalinks.programs.load_program(path, language_model=mine)
        assert replaced.modules[-1].language_model is mine
        trusted = synalinks.programs.load_program(path, safe_mode=False)
        assert trusted.modules[-1].language_model.api_base == server.url


def test_the_default_local_servers_of_ollama_and_vllm_need_no_permission(tmp_path):
    program = qa_program(synalinks.LanguageModel(model="ollama/llama3.2"))
    program.save(tmp_path / "p.json")
    loaded = synalinks.programs.load_program(tmp_path / "p.json")
    assert loaded.modules[-1].language_model.api_base == "http://localhost:11434"


def test_no_secret_named_argument_reaches_any_file(lm, tmp_path):
    secrets = ["AWSSECRET-abcdefgh", "sk-apikey-abcdefgh", "Bearer header-abcdefgh", "session-token-abcdefgh"]
    language_model = synalinks.LanguageModel(
        model="openai/gpt-4o-mini",
        api_key=secrets[1],
        aws_secret_access_key=secrets[0],
        extra_headers={"Authorization": secrets[2]},
        aws_session_token=secrets[3],
        max_tokens=77,
    )
    config = language_model.get_config()
    assert config["max_tokens"] == 77, "max_tokens counts tokens, it is no secret"
    program = qa_program(language_model)
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot())
    program.save(tmp_path / "program.json")
    program.save_variables(tmp_path / "program.variables.json")
    # A checkpointed, backed-up run, and a program whose judge holds the secret-bearing model.
    trained = qa_program(lm)
    x, y = make_data(2)
    trained.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot())
    trained.fit(
        x,
        y,
        verbose=0,
        callbacks=[
            ProgramCheckpoint(tmp_path / "ckpt.json"),
            BackupAndRestore(tmp_path / "backup", delete_checkpoint=False),
        ],
    )
    judged = qa_program(lm)
    judged.compile(reward=synalinks.rewards.LMAsJudge(language_model=language_model))
    judged.save(tmp_path / "judged.json")
    texts = [path.read_text() for path in tmp_path.rglob("*") if path.is_file()]
    assert len(texts) >= 5
    for text in texts:
        for secret in secrets:
            assert secret not in text
    assert '"max_tokens": 77' in (tmp_path / "program.json").read_text()


def test_a_provider_error_that_echoes_the_key_is_redacted(monkeypatch, caplog):
    key = "sk-proj-verysecretvalue0123456789"

    async def echoing(**kwargs):
        raise litellm.InternalServerError(
            message=f"upstream said: bad request for key {kwargs.get('api_key')}",
            model="gpt-4o-mini",
            llm_provider="openai",
        )

    monkeypatch.setattr(litellm, "acompletion", echoing)
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini", api_key=key, max_retries=0)
    program = qa_program(language_model)
    with caplog.at_level(logging.WARNING, logger="synalinks"):
        outputs = program.predict(np.array([Query(query="q1")], dtype=object), verbose=0)
    assert outputs.tolist() == [None]
    assert caplog.records, "the failure was logged"
    assert key not in caplog.text and "[REDACTED]" in caplog.text
    with pytest.raises(synalinks.language_models.LanguageModelError) as caught:
        asyncio.run(language_model([{"role": "user", "content": "hi"}], schema=Answer.get_schema()))
    assert key not in str(caught.value)


def test_a_null_language_model_in_a_file_never_starts_the_embedded_model(tmp_path):
    path = tmp_path / "p.json"
    hosted_program().save(path)
    edit(path, lambda d: d["program"]["config"]["modules"][0]["config"].update(language_model=None))
    with pytest.raises(DeserializationError, match="names no language model"):
        synalinks.programs.load_program(path)
    chosen = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    assert synalinks.programs.load_program(path, language_model=chosen).modules[-1].language_model is chosen


def test_wrongly_typed_language_model_arguments_are_refused():
    with pytest.raises(TypeError, match="requests_per_minute"):
        synalinks.LanguageModel(model="openai/gpt-4o-mini", requests_per_minute=True)
    with pytest.raises(TypeError, match="max_concurrency"):
        synalinks.LanguageModel(model="openai/gpt-4o-mini", max_concurrency=2.5)
    with pytest.raises(ValueError, match="retry_max_wait"):
        synalinks.LanguageModel(model="openai/gpt-4o-mini", retry_max_wait=float("inf"))


@pytest.mark.parametrize("section", ["compile_config", "optimizer_state"])
def test_a_program_file_missing_a_section_fails_to_load(tmp_path, section):
    path = tmp_path / "p.json"
    hosted_program().save(path)
    edit(path, lambda d: d.pop(section))
    with pytest.raises(FileFormatError, match=f"no '{section}' section"):
        synalinks.programs.load_program(path)


def test_load_variables_refuses_a_file_of_another_architecture(lm, tmp_path):
    class Topic(synalinks.DataModel):
        answer: str = synalinks.Field(description="The topic")
        confidence: float = synalinks.Field(description="How sure")

    other = synalinks.Sequential(
        [synalinks.Input(data_model=Query), synalinks.Generator(data_model=Topic, language_model=lm)], name="other"
    )
    other.variables[0].update({"instructions": "Classify the topic."})
    other.save_variables(tmp_path / "other.variables.json")
    program = qa_program(lm)
    with pytest.raises(ValueError, match="does not fit this program"):
        program.load_variables(tmp_path / "other.variables.json")
    assert program.variables[0].get("instructions") == ""
    same = qa_program(lm)
    same.variables[0].update({"instructions": "Answer."})
    same.save_variables(tmp_path / "same.variables.json")
    program.load_variables(tmp_path / "same.variables.json")
    assert program.variables[0].get("instructions") == "Answer."
