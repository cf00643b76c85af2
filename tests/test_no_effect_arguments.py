"""An argument accepted for Synalinks code that does nothing here says so, once."""

import asyncio
import logging

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer
from tests.knowledge_bases.test_knowledge_base import DOCUMENTS, Document, TopicEmbeddings


@pytest.fixture(autouse=True)
def fresh_warnings():
    from synalinks.utils import no_effect

    no_effect._warned.clear()  # once per process: start from none said


def test_generator_streaming_warns_once(caplog):
    lm = ScriptedLanguageModel(replies=[])
    with caplog.at_level(logging.WARNING, logger="synalinks"):
        synalinks.Generator(data_model=Answer, language_model=lm, streaming=True)
        synalinks.Generator(data_model=Answer, language_model=lm, streaming=True)
        synalinks.Generator(data_model=Answer, language_model=lm)
    said = [record for record in caplog.records if "`streaming` has no effect" in record.getMessage()]
    assert len(said) == 1 and "Generator" in said[0].getMessage()


def test_ef_search_warns_once_and_changes_nothing(tmp_path, caplog):
    kb = synalinks.KnowledgeBase(uri=str(tmp_path / "kb"), data_models=[Document], embedding_model=TopicEmbeddings())
    asyncio.run(kb.update(DOCUMENTS))
    with caplog.at_level(logging.WARNING, logger="synalinks"):
        plain = asyncio.run(kb.similarity_search("a cat", table_name="Document", k=2))
        tuned = asyncio.run(kb.similarity_search("a cat", table_name="Document", k=2, ef_search=64))
        asyncio.run(kb.similarity_search("a cat", table_name="Document", k=2, ef_search=64))
    assert [r["id"] for r in plain] == [r["id"] for r in tuned]
    said = [record for record in caplog.records if "`ef_search` has no effect" in record.getMessage()]
    assert len(said) == 1 and "IVF" in said[0].getMessage()
