"""Fixtures shared by the knowledge base tests."""

import asyncio

import pytest

import synalinks
from tests.knowledge_bases.test_knowledge_base import DOCUMENTS, Document, TopicEmbeddings, uri_for


@pytest.fixture(params=["lancedb", "duckdb"])
def knowledge_base(request, tmp_path):
    """A knowledge base of the four `DOCUMENTS`, with topic embeddings, on each engine. (A test file that
    defines its own `knowledge_base` uses that one.)"""
    kb = synalinks.KnowledgeBase(
        uri=uri_for(request.param, tmp_path), data_models=[Document], embedding_model=TopicEmbeddings()
    )
    asyncio.run(kb.update(DOCUMENTS))
    return kb
