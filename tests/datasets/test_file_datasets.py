"""Datasets streamed from files: JSON Lines, JSON, CSV, Parquet, text and Markdown folders."""

import json

import numpy as np
import pytest

import synalinks
from synalinks.datasets import (
    CSVDataset,
    DatasetRowError,
    JSONDataset,
    JSONLDataset,
    MarkdownDataset,
    ParquetDataset,
    TextDataset,
)
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query, correct_reply, qa_program


def _write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    return path


def _qa_rows(count):
    return [{"question": f"q{i}", "label": str(i % 3), "noise": i} for i in range(count)]


TEMPLATES = dict(
    input_data_model=Query,
    input_template='{"query": {{ question | tojson }}}',
    output_data_model=Answer,
    output_template='{"answer": {{ label | tojson }}}',
)


def test_jsonl_rows_become_batches_of_data_models_with_limit_and_repeat(tmp_path):
    path = _write_jsonl(tmp_path / "qa.jsonl", _qa_rows(5))
    batches = list(JSONLDataset(path, batch_size=2, **TEMPLATES))
    assert [len(x) for x, _ in batches] == [2, 2, 1]
    x, y = batches[0]
    assert isinstance(x, np.ndarray) and x.dtype == object
    assert x[1] == Query(query="q1") and y[1] == Answer(answer="1")
    repeated = JSONLDataset(path, batch_size=3, limit=2, repeat=3, **TEMPLATES)
    assert [[item.query for item in x] for x, _ in repeated] == [["q0"] * 3, ["q1"] * 3]
    assert len(repeated) == 2


def test_without_templates_the_fields_of_the_data_models_are_taken_from_the_row(tmp_path):
    path = _write_jsonl(tmp_path / "qa.jsonl", [{"query": "q1", "answer": "1", "extra": True}])
    ((x, y),) = JSONLDataset(path, input_data_model=Query, output_data_model=Answer)
    assert x[0] == Query(query="q1") and y[0] == Answer(answer="1")
    (inputs_only,) = next(iter(JSONLDataset(path, input_data_model=Query)))
    assert inputs_only[0] == Query(query="q1"), "no output: (x_batch,) batches for predict"


def test_a_bad_row_names_its_file_and_line(tmp_path):
    path = tmp_path / "qa.jsonl"
    path.write_text('{"question": "q0", "label": "0"}\n{"question": "q1"}\n')
    with pytest.raises(DatasetRowError, match=r"qa.jsonl:2: the row does not give a valid target"):
        list(JSONLDataset(path, **TEMPLATES))
    path.write_text('{"question": "q0", "label": "0"}\nnot json\n')
    with pytest.raises(DatasetRowError, match=r"qa.jsonl:2: not a JSON object"):
        list(JSONLDataset(path, **TEMPLATES))
    with pytest.raises(FileNotFoundError, match="missing.jsonl"):
        JSONLDataset(tmp_path / "missing.jsonl", input_data_model=Query)
    with pytest.raises(ValueError, match="input_data_model"):
        JSONLDataset(path)


def test_fit_reads_a_dataset_again_at_each_epoch_and_evaluate_takes_its_generator(tmp_path):
    path = _write_jsonl(tmp_path / "qa.jsonl", _qa_rows(6))
    program = qa_program(ScriptedLanguageModel(reply_function=correct_reply))
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot(seed=0))
    dataset = JSONLDataset(path, batch_size=3, **TEMPLATES)
    history = program.fit(x=dataset, epochs=2, verbose=0)
    assert history.history["reward"] == [1.0, 1.0], "the second epoch read the file again"
    assert program.evaluate(x=dataset(), verbose=0)["reward"] == 1.0
    predictions = program.predict(
        x=JSONLDataset(path, batch_size=4, input_data_model=Query, input_template='{"query": {{ question | tojson }}}'),
        verbose=0,
    )
    assert [p.get("answer") for p in predictions] == [str(i % 3) for i in range(6)]


def test_json_and_csv_files_and_schemas(tmp_path):
    (tmp_path / "qa.json").write_text(json.dumps(_qa_rows(3)))
    ((x, y),) = JSONDataset(tmp_path / "qa.json", batch_size=None, **TEMPLATES)
    assert [item.query for item in x] == ["q0", "q1", "q2"]
    (tmp_path / "qa.csv").write_text("question;label\nq0;0\nq1;1\n")
    schema = {"type": "object", "properties": {"count": {"type": "integer"}}, "required": ["count"]}
    dataset = CSVDataset(
        tmp_path / "qa.csv",
        delimiter=";",
        input_data_model=Query,
        input_template='{"query": {{ question | tojson }}}',
        output_schema=schema,
        output_template='{"count": {{ label | int }}}',
    )
    assert [y[0].get_json() for _, y in dataset] == [{"count": 0}, {"count": 1}]
    (tmp_path / "bad.csv").write_text("question,label\nq0,zero\n")
    with pytest.raises(DatasetRowError, match=r"bad.csv:2"):
        list(
            CSVDataset(
                tmp_path / "bad.csv",
                input_data_model=Query,
                input_template='{"query": "x"}',
                output_schema=schema,
                output_template='{"count": {{ label | tojson }}}',
            )
        )


def test_parquet_files_stream_a_record_batch_at_a_time(tmp_path):
    import pyarrow  # the parquet extra, installed by .ci/run
    import pyarrow.parquet as parquet

    table = pyarrow.table({"question": [f"q{i}" for i in range(7)], "label": [str(i % 3) for i in range(7)]})
    parquet.write_table(table, tmp_path / "qa.parquet", row_group_size=2)
    dataset = ParquetDataset(tmp_path / "qa.parquet", read_batch_rows=2, batch_size=4, **TEMPLATES)
    assert [len(x) for x, _ in dataset] == [4, 3] and len(dataset) == 2
    assert [y.answer for _, ys in dataset for y in ys] == [str(i % 3) for i in range(7)]


def test_text_and_markdown_folders_give_one_document_per_file(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("alpha")
    (corpus / "sub" / "b.txt").write_text("beta")
    (corpus / "skip.md").write_text("# Guide\nIntro text.\n## Install\nRun pip.\n```\n# not a heading\n```\n")
    (documents,) = next(iter(TextDataset(corpus)))
    assert [(d.filepath, d.text) for d in documents] == [("a.txt", "alpha"), ("sub/b.txt", "beta")]
    (markdown,) = next(iter(MarkdownDataset(corpus)))
    document = markdown[0]
    assert document.filepath == "skip.md" and document.title == "Guide"
    assert [(s.path, s.level, s.text) for s in document.sections] == [
        ("Guide", 1, "Intro text."),
        ("Guide > Install", 2, "Run pip.\n```\n# not a heading\n```"),
    ]
    assert document.sections[1].section_id == "skip.md#Guide > Install"
    assert len(TextDataset(corpus, recursive=False).paths) == 1


def test_fsspec_urls_are_read_too():
    import fsspec

    memory = fsspec.filesystem("memory")
    memory.pipe("/datasets/qa.jsonl", b'{"question": "q5", "label": "2"}\n')
    memory.pipe("/datasets/notes/n.txt", b"remote text")
    ((x, y),) = JSONLDataset("memory://datasets/qa.jsonl", **TEMPLATES)
    assert x[0] == Query(query="q5") and y[0] == Answer(answer="2")
    (documents,) = next(iter(TextDataset("memory://datasets/notes")))
    assert documents[0].text == "remote text" and documents[0].filepath.endswith("n.txt")
