"""A loaded file cannot wipe, create or choose a store, nor point an embedding model (or a provider override)
at a server; an `EmbeddingModel` keeps its credentials out of every file, trace and error."""

import asyncio
import json
import os

import litellm
import pytest

import synalinks
from synalinks.saving import DeserializationError
from synalinks.saving.safe_mode import SafeModeScope
from synalinks.saving.serialization import deserialize, serialize
from tests.conftest import Answer, Query, qa_program
from tests.knowledge_bases.test_knowledge_base import Document

KEY = "sk-proj-embeddingsecret0123456789"


def _run(coroutine):
    return asyncio.run(coroutine)


def rag_program(knowledge_base):
    async def build():
        inputs = synalinks.Input(data_model=Query)
        found = await synalinks.FullTextSearch(
            knowledge_base=knowledge_base,
            language_model=synalinks.testing.ScriptedLanguageModel(
                reply_function=lambda messages, schema, index: {"fulltext_search": ["t1"]}
            ),
            data_model=Document,
            k=2,
        )(inputs)
        return synalinks.Program(inputs=inputs, outputs=found)

    return _run(build())


def test_a_file_asking_to_wipe_the_users_store_leaves_it_intact(tmp_path):
    store = tmp_path / "store"
    users = synalinks.KnowledgeBase(uri=str(store), data_models=[Document])
    _run(users.update([Document(id=f"d{i}", title=f"t{i}", text="b", year=2000 + i) for i in range(100)]))
    path = tmp_path / "p.json"
    rag_program(synalinks.KnowledgeBase(uri=str(tmp_path / "other"), data_models=[Document])).save(path)
    document = json.loads(path.read_text())
    text = json.dumps(document)
    text = text.replace(json.dumps(str(tmp_path / "other")), json.dumps(str(store)))
    document = json.loads(text)
    kb_config = next(
        m["config"]["knowledge_base"]["config"]
        for m in document["program"]["config"]["modules"]
        if "knowledge_base" in m.get("config", {})
    )
    kb_config["wipe_on_start"] = True
    path.write_text(json.dumps(document))
    with pytest.raises(DeserializationError, match="wipe_on_start.*knowledge_base="):
        synalinks.programs.load_program(path)
    assert _run(users.count("Document")) == 100
    # The caller's own knowledge base is used, as it is: nothing wiped.
    loaded = synalinks.programs.load_program(path, knowledge_base=users)
    _run(loaded(Query(query="q")))
    assert _run(users.count("Document")) == 100


def test_loading_a_knowledge_base_creates_no_folder_or_file(tmp_path):
    for uri in (str(tmp_path / "lance"), f"duckdb://{tmp_path / 'file.db'}"):
        config = serialize(synalinks.KnowledgeBase(uri=uri, data_models=[Document]))
        with SafeModeScope(safe_mode=False):
            rebuilt = deserialize(config)
        assert rebuilt.uri == uri
        with SafeModeScope(safe_mode=True):
            with pytest.raises(DeserializationError, match="safe mode lets only the caller choose"):
                deserialize(config)
    assert os.listdir(tmp_path) == [], "building a knowledge base creates nothing until it is used"


def embedding_config(**kwargs):
    return serialize(synalinks.EmbeddingModel(model="openai/text-embedding-3-small", **kwargs))


def test_a_file_cannot_point_an_embedding_model_at_its_server(monkeypatch):
    sent = []

    async def record(**kwargs):
        sent.append(kwargs)
        raise AssertionError("no request may be made")

    monkeypatch.setattr(litellm, "aembedding", record)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    config = embedding_config()
    config["config"]["api_base"] = "http://127.0.0.1:9/v1"
    with SafeModeScope(safe_mode=True):
        with pytest.raises(DeserializationError, match="embedding model .*127.0.0.1:9.*allowed_api_bases"):
            deserialize(config)
    with SafeModeScope(safe_mode=True, allowed_api_bases=["http://127.0.0.1:9/v1"]):
        assert deserialize(config).api_base == "http://127.0.0.1:9/v1"
    assert sent == []


@pytest.mark.parametrize("cls", [synalinks.LanguageModel, synalinks.EmbeddingModel])
def test_a_provider_override_in_a_file_counts_as_a_server_change(cls):
    config = serialize(cls(model="ollama/x"))
    config["config"]["custom_llm_provider"] = "openai"
    with SafeModeScope(safe_mode=True):
        with pytest.raises(DeserializationError, match="provider 'openai' at the server 'http://localhost:11434'"):
            deserialize(config)
    with SafeModeScope(safe_mode=True, allowed_api_bases=["http://localhost:11434"]):
        assert deserialize(config).model == "ollama/x"


def test_an_embedding_models_secrets_are_in_no_config_or_payload():
    model = synalinks.EmbeddingModel(
        model="bedrock/amazon.titan-embed-text-v2:0",
        api_key=KEY,
        extra_headers={"Authorization": f"Bearer {KEY}"},
        aws_secret_access_key=KEY,
        aws_region_name="eu-west-1",
        dimensions=256,
    )
    kb = synalinks.KnowledgeBase(uri="/tmp/never-made-kb", data_models=[Document], embedding_model=model)
    text = json.dumps(serialize(kb))
    assert KEY not in text and "extra_headers" not in text and "aws_secret_access_key" not in text
    assert '"aws_region_name": "eu-west-1"' in text and '"dimensions": 256' in text
    from synalinks.distributed.program_payload import program_document  # the Ray payload

    assert KEY not in json.dumps(program_document(rag_program(kb)))


def test_an_embedding_error_that_echoes_the_key_is_redacted_everywhere(monkeypatch, tmp_path, caplog):
    async def echoing(**kwargs):
        raise litellm.AuthenticationError(
            message=f"Incorrect API key provided: {kwargs.get('api_key')}", llm_provider="openai", model="x"
        )

    monkeypatch.setattr(litellm, "aembedding", echoing)
    model = synalinks.EmbeddingModel(model="openai/text-embedding-3-small", api_key=KEY, max_retries=2)
    recorder = synalinks.hooks.record_traces(base_dir=str(tmp_path / "traces"))
    try:
        with caplog.at_level("DEBUG"):
            with pytest.raises(synalinks.language_models.EmbeddingError) as caught:
                _run(model(["a text"]))
    finally:
        synalinks.hooks.clear_global_hooks()
    error = caught.value
    assert KEY not in str(error) and "[REDACTED]" in str(error)
    assert error.__cause__ is None and error.__context__ is None or KEY not in repr(error.__context__)
    assert model.usage.failures == 1, "a refused key is not retried"
    traces = "".join(p.read_text() for p in (tmp_path / "traces").rglob("*") if p.is_file())
    assert traces and KEY not in traces
    assert KEY not in caplog.text
    del recorder


def test_a_language_model_and_an_embedding_model_share_one_provider_base():
    from synalinks.language_models.provider_model import ProviderModel

    assert issubclass(synalinks.LanguageModel, ProviderModel) and issubclass(synalinks.EmbeddingModel, ProviderModel)
    assert Answer and qa_program  # the shared fixtures stay importable
