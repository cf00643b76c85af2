"""Nothing a model writes or a file says changes the store: data-changing CTEs, column names pasted into
SQL, endless queries, values JSON cannot hold, bad arguments; both engines, directly and through
Text2SQL and SQLAgent."""

import asyncio
import json
import os
import time

import pytest

import synalinks
from synalinks.knowledge_bases.read_only_sql import ReadOnlySQLError, SQLLimitError
from tests.knowledge_bases.test_knowledge_base import DOCUMENTS, uri_for
from tests.knowledge_bases.test_knowledge_modules import Question, agent_lm, scripted

CTE_ATTACKS = [
    "WITH x AS (DELETE FROM Document RETURNING id) SELECT count(*) AS n FROM x",
    "WITH x AS (UPDATE Document SET title = 'owned' RETURNING id) SELECT count(*) AS n FROM x",
    "WITH x AS (INSERT INTO Document (id, title) VALUES ('evil', 'e') RETURNING id) SELECT count(*) AS n FROM x",
]


def _run(coroutine):
    return asyncio.run(coroutine)


def stored(kb):
    return sorted((record.get("id"), record.get("title")) for record in _run(kb.getall(table_name="Document")))


@pytest.mark.parametrize("attack", CTE_ATTACKS)
def test_a_data_changing_cte_changes_nothing_directly_and_through_text2sql(knowledge_base, attack):
    before = stored(knowledge_base)
    try:
        _run(knowledge_base.sql(attack))
    except synalinks.knowledge_bases.KnowledgeBaseError:
        pass  # refused or failed: either way nothing may change
    assert stored(knowledge_base) == before
    for k in (None, 5):
        module = synalinks.Text2SQL(
            knowledge_base=knowledge_base, language_model=scripted({"sql_query": {"sql_query": attack}}), k=k
        )
        _run(module(Question(question="count")))
        assert stored(knowledge_base) == before, f"Text2SQL(k={k})"


def test_a_data_changing_cte_changes_nothing_through_the_sql_agent(knowledge_base):
    before = stored(knowledge_base)
    lm, _ = agent_lm([("run_sql_query", {"sql_query": attack}) for attack in CTE_ATTACKS], "done")
    agent = synalinks.SQLAgent(knowledge_base=knowledge_base, language_model=lm, k=None, max_iterations=5)
    _run(agent(Question(question="wipe it")))
    assert stored(knowledge_base) == before and _run(knowledge_base.count("Document")) == len(DOCUMENTS)


@pytest.mark.parametrize("engine", ["lancedb", "duckdb"])
def test_a_column_name_read_from_a_file_is_never_pasted_into_sql(engine, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('"1=1 OR body",body\nk1,first\nk2,second\nk3,third\n')
    kb = synalinks.KnowledgeBase(uri=uri_for(engine, tmp_path))
    _run(kb.from_csv(str(path), table_name="Notes"))
    assert _run(kb.delete("no-such-key", table_name="Notes")) == 0
    assert _run(kb.count("Notes")) == 3
    assert _run(kb.get("k2", table_name="Notes")).get_json() == {"1=1 OR body": "k2", "body": "second"}
    assert _run(kb.delete("k2", table_name="Notes")) == 1 and _run(kb.count("Notes")) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text('id,"_text"\n1,x\n')
    with pytest.raises(synalinks.knowledge_bases.KnowledgeBaseError, match="column name of .*_text.*starts with"):
        _run(kb.from_csv(str(bad)))


class Purchase(synalinks.DataModel):
    Order: str
    select: str = ""
    year: int = 0


@pytest.mark.parametrize("engine", ["lancedb", "duckdb"])
def test_fields_named_like_sql_keywords_work_and_none_means_null(engine, tmp_path):
    kb = synalinks.KnowledgeBase(uri=uri_for(engine, tmp_path), data_models=[Purchase])
    _run(kb.update([Purchase(Order="o1", select="a", year=2020), Purchase(Order="o2", select="None", year=2021)]))
    assert [r.get("Order") for r in _run(kb.query({"select": "a"}, table_name="Purchase"))] == ["o1"]
    assert _run(kb.query({"select": None}, table_name="Purchase")) == [], "None is NULL, not the text 'None'"
    assert _run(kb.delete(["o1"], table_name="Purchase")) == 1


def test_an_endless_query_is_interrupted_within_its_timeout(knowledge_base):
    start = time.monotonic()
    with pytest.raises(SQLLimitError, match="timeout of 1 s"):
        _run(knowledge_base.sql("SELECT count(*) AS n FROM range(10000000000000)", timeout=1))
    assert time.monotonic() - start < 5
    assert _run(knowledge_base.sql("SELECT count(*) AS n FROM Document")) == [{"n": len(DOCUMENTS)}]


def test_a_timeout_longer_than_the_clock_holds_runs_the_query_with_no_thread_failing(knowledge_base, monkeypatch):
    import threading

    failures = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    rows = asyncio.run(knowledge_base.sql('SELECT count(*) AS n FROM "Document"', timeout=1e300))
    time.sleep(0.2)  # a timer thread that cannot wait that long fails at once
    assert rows == [{"n": len(DOCUMENTS)}]
    assert failures == []


def test_too_many_rows_or_bytes_stop_the_query(knowledge_base):
    with pytest.raises(SQLLimitError, match="max_rows=10"):
        _run(knowledge_base.sql("SELECT * FROM range(100)", max_rows=10))
    with pytest.raises(SQLLimitError, match="max_bytes=1000"):
        _run(knowledge_base.sql("SELECT repeat('x', 600) AS t FROM range(5)", max_bytes=1000))


def test_an_endless_query_does_not_keep_the_process_from_exiting(tmp_path):
    import subprocess
    import sys

    script = (
        "import asyncio, synalinks\n"
        "class D(synalinks.DataModel):\n    id: str\n"
        f"kb = synalinks.KnowledgeBase(uri='duckdb://{tmp_path / 'e.db'}', data_models=[D])\n"
        "try:\n    asyncio.run(kb.sql('SELECT count(*) FROM range(10000000000000)', timeout=1))\n"
        "except Exception as error:\n    print(type(error).__name__)\n"
    )
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "SQLLimitError" and time.monotonic() - start < 30


def test_decimals_dates_and_nan_come_back_as_json_and_are_written_by_predict_to(knowledge_base, tmp_path):
    rows = _run(knowledge_base.sql("SELECT 1.5 AS d, DATE '2020-01-02' AS day, 'nan'::DOUBLE AS n"))
    assert rows == [{"d": 1.5, "day": "2020-01-02", "n": None}]
    lm = scripted({"sql_query": {"sql_query": "SELECT 1.5 AS d, DATE '2020-01-02' AS day, 'inf'::DOUBLE AS n"}})
    inputs = synalinks.Input(data_model=Question)
    outputs = _run(synalinks.Text2SQL(knowledge_base=knowledge_base, language_model=lm, k=None)(inputs))
    program = synalinks.Program(inputs=inputs, outputs=outputs)
    path = tmp_path / "out.jsonl"
    assert program.predict([Question(question="q")] * 3, verbose=0, predict_to=path) == 3
    lines = path.read_text().splitlines()
    assert [json.loads(line)["result"] for line in lines] == [[{"d": 1.5, "day": "2020-01-02", "n": None}]] * 3
    assert "Infinity" not in path.read_text() and "NaN" not in path.read_text()


def test_what_is_not_supported_is_refused_and_says_so(knowledge_base, tmp_path):
    with pytest.raises(ValueError, match="`output_format` must be 'json' or 'csv'"):
        _run(knowledge_base.sql("SELECT 1", output_format="xml"))
    with pytest.raises(ValueError, match="`output_format`"):
        _run(knowledge_base.fulltext_search("cat", table_name="Document", output_format="xml"))
    with pytest.raises(ReadOnlySQLError, match="not INSTALL statements"):
        _run(knowledge_base.sql("INSTALL httpfs"))
    with pytest.raises(ValueError, match="names no file"):
        synalinks.KnowledgeBase(uri="duckdb://")
    with pytest.raises(ValueError, match="`name` must be a plain name"):
        synalinks.KnowledgeBase(name="../../x")
    assert not os.path.exists(tmp_path.parent / "x")
    with pytest.raises(ValueError, match="`table_name` must be a table's name"):
        _run(knowledge_base.count(["Document"]))
