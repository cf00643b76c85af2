"""Read-only SQL, regular expressions, tables loaded from files, on both engines."""

import asyncio
import json

import pytest

import synalinks
from synalinks.knowledge_bases import KnowledgeBaseError, ReadOnlySQLError
from tests.knowledge_bases.test_knowledge_base import TopicEmbeddings


def _run(coroutine):
    return asyncio.run(coroutine)


def test_sql_reads_the_tables_and_refuses_any_statement_that_writes(knowledge_base):
    kb = knowledge_base
    rows = _run(kb.sql("SELECT id, year FROM Document WHERE year < ? ORDER BY id", params=[2024]))
    assert rows == [{"id": "d2", "year": 2023}]
    every = _run(kb.sql("SELECT * FROM Document ORDER BY id"))
    assert [row["id"] for row in every] == ["d1", "d2", "d3", "d4"]
    assert "_vector" not in every[0] and "_text" not in every[0], "internal columns stay hidden"
    assert _run(kb.sql("SELECT count(*) AS n FROM Document", output_format="csv")) == "n\n4\n"
    for statement in (
        "DELETE FROM Document",
        "SELECT 1; DROP TABLE Document",
        "UPDATE Document SET title = 'x'",
        "COPY Document TO '/tmp/out.csv'",
        "ATTACH '/tmp/other.db'",
    ):
        with pytest.raises(ReadOnlySQLError, match="(?i)select"):
            _run(kb.sql(statement))
    assert _run(kb.count("Document")) == 4, "nothing was changed"
    with pytest.raises(KnowledgeBaseError, match="(?i)permission|disabled"):
        _run(kb.sql("SELECT * FROM read_csv('/etc/passwd')"))
    with pytest.raises(KnowledgeBaseError, match="The query failed"):
        _run(kb.sql("SELECT nope FROM Document"))


def test_regex_search_and_hybrid_regex_search(knowledge_base):
    kb = knowledge_base
    assert {r["id"] for r in _run(kb.regex_search("c[a]t", table_name="Document"))} == {"d1", "d4"}
    assert _run(kb.regex_search("MARS", table_name="Document")) == []
    assert [r["id"] for r in _run(kb.regex_search("MARS", table_name="Document", case_sensitive=False))] == ["d3"]
    assert [r["id"] for r in _run(kb.regex_search("^Orb", table_name="Document", fields=["title"]))] == ["d3"]
    with pytest.raises(KnowledgeBaseError, match="`fields` names \\[.author.\\]: Document has no such field"):
        _run(kb.regex_search("x", table_name="Document", fields=["author"]))
    with pytest.raises(KnowledgeBaseError, match="not a regular expression"):
        _run(kb.regex_search("(", table_name="Document"))
    # Similarity alone puts a cat document first; the regex on "Mars" pulls d3 up beside it.
    fused = _run(kb.hybrid_regex_search("cat", pattern_or_patterns="Mars", table_name="Document", k=2))
    assert "d3" in {r["id"] for r in fused}
    alone = _run(kb.hybrid_regex_search("cat", table_name="Document", k=2))
    assert {r["id"] for r in alone} == {"d1", "d4"}


@pytest.mark.parametrize("file_format", ["csv", "jsonl", "json", "parquet"])
def test_a_table_loads_from_a_file_and_is_searchable(tmp_path, file_format):
    rows = [{"sku": f"s{i}", "name": f"item {i}", "price": float(i), "stock": i} for i in range(5)]
    path = tmp_path / f"my-products.{file_format}"
    if file_format == "csv":
        path.write_text("sku,name,price,stock\n" + "".join(f"s{i},item {i},{float(i)},{i}\n" for i in range(5)))
    elif file_format == "jsonl":
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    elif file_format == "json":
        path.write_text(json.dumps(rows))
    else:
        import pyarrow
        import pyarrow.parquet

        pyarrow.parquet.write_table(pyarrow.Table.from_pylist(rows), path)
    kb = synalinks.KnowledgeBase(uri=f"duckdb://{tmp_path / 'kb'}.db", embedding_model=TopicEmbeddings())
    loaded = _run(getattr(kb, f"from_{file_format}")(str(path), table_description="Products"))
    schema = loaded.get_schema()
    assert schema["title"] == "MyProducts" and list(schema["properties"]) == ["sku", "name", "price", "stock"]
    assert schema["properties"]["stock"] == {"type": "integer"} and schema["properties"]["price"] == {"type": "number"}
    assert _run(kb.count("MyProducts")) == 5
    assert _run(kb.get("s3", table_name="MyProducts")).get_json() == rows[3]
    assert _run(kb.sql("SELECT sum(stock) AS total FROM MyProducts")) == [{"total": 10}]
    assert _run(kb.fulltext_search("item", table_name="MyProducts", k=10)) != []
    _run(getattr(kb, f"from_{file_format}")(str(path)))
    assert _run(kb.count("MyProducts")) == 5, "loading again updates by key"
    assert kb.get_config()["data_models"][0]["title"] == "MyProducts", "the table is in the saved configuration"


def test_a_file_that_does_not_parse_gets_a_clear_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"not": "an array"}')
    kb = synalinks.KnowledgeBase(uri=str(tmp_path / "kb"))
    with pytest.raises(KnowledgeBaseError, match="broken.json.*array of objects"):
        _run(kb.from_json(str(path)))
    assert kb.table_names() == []
