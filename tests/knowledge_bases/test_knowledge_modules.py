"""The retrievers, the reranker, EmbedKnowledge, Text2SQL and the knowledge agents."""

import asyncio
import json

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.knowledge_bases.test_knowledge_base import Document, TopicEmbeddings


class Question(synalinks.DataModel):
    question: str


def _run(coroutine):
    return asyncio.run(coroutine)


def scripted(replies_by_field, seen=None):
    """A model that answers by the first field of the schema it is asked for."""

    def reply(messages, schema, index):
        if seen is not None:
            seen.append(messages[-1]["content"])
        return next(value for field, value in replies_by_field.items() if field in schema["properties"])

    return ScriptedLanguageModel(reply_function=reply)


RETRIEVERS = [
    (synalinks.SimilaritySearch, {"similarity_search": ["a cat"]}, {"d1", "d4"}),
    (synalinks.FullTextSearch, {"fulltext_search": ["probe Mars"]}, {"d3"}),
    (synalinks.HybridFTSSearch, {"similarity_search": ["space"], "keywords": ["wool"]}, {"d3", "d4"}),
    (synalinks.RegexSearch, {"regex_search": "Mar[sk]"}, {"d2", "d3"}),
]


@pytest.mark.parametrize("retriever_class, query, expected", RETRIEVERS)
def test_each_retriever_runs_the_written_search_and_round_trips(
    knowledge_base, tmp_path, retriever_class, query, expected
):
    lm = scripted({next(iter(query)): query})

    async def build():
        inputs = synalinks.Input(data_model=Question)
        found = await retriever_class(
            knowledge_base=knowledge_base, language_model=lm, data_model=Document, k=2, name="search"
        )(inputs)
        return synalinks.Program(inputs=inputs, outputs=found)

    program = _run(build())
    output = _run(program(Question(question="?"))).get_json()
    assert list(output)[:1] == ["question"] and all(field in output for field in query)
    assert {row["id"] for row in output["result"]} == expected
    path = tmp_path / "search.program.json"
    program.save(path)
    # A trusted file (safe_mode=False): its knowledge base is built from the file's config.
    loaded = synalinks.programs.load_program(
        path, language_model=lm, custom_objects={"TopicEmbeddings": TopicEmbeddings}, safe_mode=False
    )
    assert _run(loaded(Question(question="?"))).get_json() == output
    assert type(loaded.get_module(name="search")) is retriever_class


def test_without_a_table_the_model_picks_one_among_the_knowledge_base_tables(knowledge_base):
    seen_schemas = []

    def reply(messages, schema, index):
        seen_schemas.append(schema)
        return {"fulltext_search": ["orbit"], "table_name": "Document"}

    search = synalinks.FullTextSearch(
        knowledge_base=knowledge_base, language_model=ScriptedLanguageModel(reply_function=reply)
    )
    output = _run(search(Question(question="?")))
    assert seen_schemas[0]["properties"]["table_name"]["enum"] == ["Document"]
    assert [row["id"] for row in output.get("result")] == ["d3"]


def test_rrf_reranker_fuses_lists_by_rank():
    def result(ids):
        return synalinks.JsonDataModel(
            schema={"type": "object", "properties": {"result": {"type": "array"}}},
            json={"result": [{"id": i, "score": 0.0} for i in ids]},
        )

    fused = _run(synalinks.RRFReranker(k=3, id_key="id")([result(["a", "b", "c"]), result(["c", "b"]), None]))
    rows = fused.get("result")
    assert [row["id"] for row in rows] == ["c", "b", "a"], "c: 1/63 + 1/61 > b: 2/62 > a: 1/61"
    assert rows[0]["rrf_score"] == pytest.approx(1 / 63 + 1 / 61) and rows[2]["rrf_score"] == pytest.approx(1 / 61)
    assert _run(synalinks.RRFReranker()([None])) is None
    with pytest.raises(ValueError, match="k_rank"):
        synalinks.RRFReranker(k_rank=0)


def test_embed_knowledge_then_update_knowledge_embeds_once(tmp_path):
    embeddings = TopicEmbeddings()
    kb = synalinks.KnowledgeBase(uri=str(tmp_path / "kb"), data_models=[Document], embedding_model=embeddings)

    async def build():
        inputs = synalinks.Input(data_model=Document)
        embedded = await synalinks.EmbedKnowledge(embedding_model=embeddings, in_mask=["text"])(inputs)
        stored = await synalinks.UpdateKnowledge(knowledge_base=kb)(embedded)
        return synalinks.Program(inputs=inputs, outputs=stored)

    program = _run(build())
    output = _run(program(Document(id="e1", title="space", text="A cat.")))
    assert output.get("embedding") == [1.0, 0.0, 0.0, 0.1], "only the text field (in_mask) is embedded"
    calls_after_program = embeddings.calls
    assert calls_after_program == 2, "one probe by the knowledge base, one embedding by EmbedKnowledge"
    found = _run(kb.similarity_search(table_name="Document", vector_or_vectors=[1.0, 0.0, 0.0, 0.1], k=1))
    assert found[0]["id"] == "e1" and found[0]["score"] == pytest.approx(0.0, abs=1e-6), "the given vector is stored"
    with pytest.raises(ValueError, match="not both"):
        synalinks.EmbedKnowledge(embedding_model=embeddings, in_mask=["a"], out_mask=["b"])


def test_text2sql_runs_the_written_select_and_refuses_a_write(knowledge_base):
    seen = []
    lm = scripted({"sql_query": {"sql_query": "SELECT id FROM Document WHERE year = 2023;"}}, seen)
    text2sql = synalinks.Text2SQL(knowledge_base=knowledge_base, language_model=lm, k=10)
    output = _run(text2sql(Question(question="Which document is from 2023?"))).get_json()
    assert output == {"sql_query": "SELECT id FROM Document WHERE year = 2023;", "result": [{"id": "d2"}]}
    assert "Table: Document" in seen[0] and "year (integer)" in seen[0], "the model sees the tables and columns"
    writer = synalinks.Text2SQL(
        knowledge_base=knowledge_base, language_model=scripted({"sql_query": {"sql_query": "DELETE FROM Document"}})
    )
    refused = _run(writer(Question(question="delete everything"))).get_json()
    assert "SELECT" in refused["result"]["error"] and _run(knowledge_base.count("Document")) == 4
    capped = synalinks.Text2SQL(
        knowledge_base=knowledge_base,
        language_model=scripted({"sql_query": {"sql_query": "SELECT * FROM Document"}}),
        k=2,
    )
    assert len(_run(capped(Question(question="all"))).get("result")) == 2


def agent_lm(calls, answer):
    """Makes the scripted tool calls, one per turn, then answers; `seen` keeps each step's last message."""
    seen = []

    def reply(messages, schema, index):
        if schema is not None:
            return {"answer": answer}
        seen.append(messages[-1].get("content"))
        step = sum(1 for message in messages if message.get("tool_calls"))
        if step < len(calls):
            name, arguments = calls[step]
            function = {"name": name, "arguments": json.dumps(arguments)}
            return {"tool_calls": [{"id": f"call_{step}", "type": "function", "function": function}]}
        return {"content": "done"}

    return ScriptedLanguageModel(reply_function=reply), seen


def tool_results(output):
    return [json.loads(message["content"]) for message in output["messages"] if message["role"] == "tool"]


def test_sql_agent_reads_tables_and_is_refused_a_write(knowledge_base):
    lm, _ = agent_lm(
        [
            ("get_database_schema", {}),
            ("run_sql_query", {"sql_query": "DROP TABLE Document"}),
            ("run_sql_query", {"sql_query": "SELECT count(*) AS n FROM Document"}),
        ],
        "4 documents",
    )
    agent = synalinks.SQLAgent(knowledge_base=knowledge_base, language_model=lm, output_format="json")
    output = _run(agent(Question(question="How many documents?"))).get_json()
    results = tool_results(output)
    assert "Table: Document" in results[0]["schema"]
    assert "SELECT" in results[1]["error"], "the write is refused and the model reads why"
    assert results[2] == [{"n": 4}] and output["answer"] == "4 documents"
    assert _run(knowledge_base.count("Document")) == 4
    config = synalinks.saving.serialize(agent)
    rebuilt = synalinks.saving.deserialize(config, custom_objects={"TopicEmbeddings": TopicEmbeddings})
    assert [tool.name for tool in rebuilt.tools] == ["get_database_schema", "get_table_sample", "run_sql_query"]
    assert rebuilt.knowledge_base.uri == knowledge_base.uri and rebuilt.k == 50


def test_vector_rag_agent_searches_then_answers(knowledge_base):
    lm, seen = agent_lm([("search_knowledge", {"query": "space probe"})], "A probe reached Mars.")
    agent = synalinks.VectorRAGAgent(knowledge_base=knowledge_base, language_model=lm, k=1, output_format="json")
    output = _run(agent(Question(question="What reached Mars?"))).get_json()
    assert tool_results(output)[0][0]["id"] == "d3"
    assert "orbit around Mars" in seen[-1], "the model read the record found before it answered"
    assert output["answer"] == "A probe reached Mars."
    with pytest.raises(ValueError, match="search_type"):
        synalinks.VectorRAGAgent(knowledge_base=knowledge_base, language_model=lm, search_type="regex")
