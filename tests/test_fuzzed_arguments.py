"""300 seeded random arguments to the recent public methods (knowledge base, TextSplitter, JSONLDataset,
Tool.run, chat messages) raise only documented errors, each naming the argument it refuses."""

import asyncio
import math
import random

import pytest

import synalinks
from synalinks.data_models.chat_messages import message_from_reply, provider_messages, tool_result_message
from tests.knowledge_bases.test_knowledge_base import DOCUMENTS, Document

DOCUMENTED = (ValueError, TypeError, FileNotFoundError)

WEIRD = [
    None,
    True,
    -1,
    0,
    3,
    10**30,
    1e308,
    math.nan,
    "",
    "x" * 5000,
    "Document",
    "Nope",
    "\x00\x07",
    "'; DROP TABLE Document; --",
    "SELECT 1",
    "(",
    b"bytes",
    ["Document"],
    [1, 2],
    [],
    {"x": None},
    {"title": None},
    {"title": ["a"]},
    {},
    object(),
    Document(id="z1", title="t", text="body"),
]


def _run(coroutine):
    return asyncio.run(coroutine)


def knowledge_base_calls(kb, tmp_path):
    """`(argument name, call taking the random value)`: the other arguments valid."""
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"key": "a", "value": 1}\n{"key": "b", "value": 2}\n')
    return [
        ("table_name", lambda v: kb.count(v)),
        ("table_name", lambda v: kb.getall(table_name=v)),
        ("limit", lambda v: kb.getall(table_name="Document", limit=v)),
        ("offset", lambda v: kb.getall(table_name="Document", offset=v)),
        ("id_or_ids", lambda v: kb.get(v, table_name="Document")),
        ("id_or_ids", lambda v: kb.delete(v, table_name="Document")),
        ("filters", lambda v: kb.query(v, table_name="Document")),
        ("limit", lambda v: kb.query({"title": "Orbit"}, table_name="Document", limit=v)),
        ("sql", lambda v: kb.sql(v)),
        ("params", lambda v: kb.sql("SELECT 1", params=v)),
        ("timeout", lambda v: kb.sql("SELECT 1", timeout=v)),
        ("output_format", lambda v: kb.sql("SELECT 1", output_format=v)),
        ("text_or_texts", lambda v: kb.fulltext_search(v, table_name="Document")),
        ("k", lambda v: kb.fulltext_search("cat", table_name="Document", k=v)),
        ("threshold", lambda v: kb.fulltext_search("cat", table_name="Document", threshold=v)),
        ("pattern", lambda v: kb.regex_search(v, table_name="Document")),
        ("fields", lambda v: kb.regex_search("cat", table_name="Document", fields=v)),
        ("k", lambda v: kb.regex_search("cat", table_name="Document", k=v)),
        ("data_model_or_data_models", lambda v: kb.update(v)),
        ("path", lambda v: kb.from_csv(v)),
        ("table_name", lambda v: kb.from_jsonl(str(rows), table_name=v)),
    ]


def other_calls(tmp_path):
    splitter = synalinks.datasets.TextSplitter(chunk_size=50, chunk_overlap=10)
    tool = synalinks.Tool(lambda a, b=1: a, name="echo")
    bad_utf8 = tmp_path / "bad.jsonl"
    bad_utf8.write_bytes(b'{"query": "ok"}\n{"query": "\xff\xfe"}\n')

    async def read_dataset(v):
        class Query(synalinks.DataModel):
            query: str

        dataset = synalinks.datasets.JSONLDataset(v, input_data_model=Query, batch_size=2)
        return [batch for batch in dataset]

    async def plain(function, v):
        return function(v)

    return [
        ("text", lambda v: plain(splitter.split, v)),
        ("chunk_size", lambda v: plain(lambda size: synalinks.datasets.TextSplitter(chunk_size=size), v)),
        ("path", read_dataset),
        ("path", lambda v: read_dataset(str(bad_utf8))),
        ("arguments", lambda v: tool.run(v)),
        ("messages", lambda v: plain(provider_messages, v)),
        ("messages", lambda v: plain(provider_messages, [v])),
        ("message", lambda v: plain(message_from_reply, v)),
        ("tool_call_id", lambda v: plain(lambda i: tool_result_message(i, "echo", "r"), v)),
    ]


@pytest.fixture(params=["lancedb", "duckdb"])
def knowledge_base(request, tmp_path):
    uri = str(tmp_path / "kb") if request.param == "lancedb" else f"duckdb://{tmp_path / 'kb.db'}"
    kb = synalinks.KnowledgeBase(uri=uri, data_models=[Document])
    _run(kb.update(DOCUMENTS))
    return kb


def check(argument, value, call):
    try:
        _run(call(value))
    except DOCUMENTED as error:
        message = str(error)
        assert argument.lower() in message.lower() or "bad.jsonl:2:" in message, (
            f"{argument}={value!r:.60}: {type(error).__name__}: {message[:300]} does not name the argument"
        )
        return "refused"
    except Exception as error:  # an undocumented error: the test fails with what raised it
        pytest.fail(f"{argument}={value!r:.60}: undocumented {type(error).__name__}: {str(error)[:300]}")
    return "accepted"


@pytest.mark.parametrize("seed", [77, 79])
def test_random_arguments_raise_only_documented_errors_naming_the_argument(knowledge_base, tmp_path, seed):
    rng = random.Random(seed)
    calls = knowledge_base_calls(knowledge_base, tmp_path) + other_calls(tmp_path)
    outcomes = {"refused": 0, "accepted": 0}
    for _ in range(150):  # 150 inputs x 2 seeds x 2 engines: 600
        argument, call = rng.choice(calls)
        outcomes[check(argument, rng.choice(WEIRD), call)] += 1
    assert _run(knowledge_base.count("Document")) >= len(DOCUMENTS) - 1, "nothing but a delete removed records"
    assert outcomes["refused"] > 10, outcomes
