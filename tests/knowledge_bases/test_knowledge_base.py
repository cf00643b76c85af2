"""KnowledgeBase on both engines (LanceDB, DuckDB): records in, exact, vector, full-text, regex and hybrid
search out, read-only SQL, tables from files."""

import asyncio

import pytest

import synalinks
from synalinks.knowledge_bases import KnowledgeBaseError

TOPICS = ("cat", "finance", "space")


class TopicEmbeddings(synalinks.EmbeddingModel):
    """A vector per topic word in the text: similar topics are near, unrelated ones orthogonal."""

    def __init__(self, model="fake/topics", **kwargs):
        super().__init__(model=model, **kwargs)
        self.calls = 0

    async def __call__(self, texts):
        self.calls += 1
        return [[1.0 if topic in text.lower() else 0.0 for topic in TOPICS] + [0.1] for text in texts]


class Document(synalinks.DataModel):
    id: str = synalinks.Field(description="The key")
    title: str = synalinks.Field(description="The title")
    text: str = synalinks.Field(description="The body")
    year: int = synalinks.Field(default=2024, description="When it was written")
    tags: list[str] = synalinks.Field(default=[], description="Tags")


class Note(synalinks.DataModel):
    name: str
    body: str


DOCUMENTS = [
    Document(id="d1", title="Sleepy", text="The cat sleeps on the sofa all day.", tags=["pets"]),
    Document(id="d2", title="Markets", text="Finance news: quarterly rates rose again.", year=2023),
    Document(id="d3", title="Orbit", text="A space probe reached orbit around Mars."),
    Document(
        id="d4", title="Kitten", text="A small cat chased a ball of wool: wool everywhere.", tags=["pets", "play"]
    ),
]


def _run(coroutine):
    return asyncio.run(coroutine)


def uri_for(engine, tmp_path, name="kb"):
    return str(tmp_path / name) if engine == "lancedb" else f"duckdb://{tmp_path / name}.db"


@pytest.fixture(params=["lancedb", "duckdb"])
def engine(request):
    return request.param


@pytest.fixture
def knowledge_base(tmp_path, engine):
    kb = synalinks.KnowledgeBase(
        uri=uri_for(engine, tmp_path), data_models=[Document, Note], embedding_model=TopicEmbeddings()
    )
    assert _run(kb.update(DOCUMENTS)) == ["d1", "d2", "d3", "d4"]
    return kb


def test_records_round_trip_and_upsert_is_idempotent(knowledge_base, tmp_path, engine):
    kb = knowledge_base
    assert _run(kb.get("d4", table_name="Document")).get_json() == DOCUMENTS[3].get_json()
    assert [r and r.get("id") for r in _run(kb.get(["d3", "zz"], table_name="Document"))] == ["d3", None]
    _run(kb.update(DOCUMENTS))
    assert _run(kb.count("Document")) == 4, "the same records again change nothing"
    _run(kb.update(Document(id="d1", title="Sleepy", text="The cat naps.")))
    assert _run(kb.get("d1", table_name="Document")).get("text") == "The cat naps."
    assert _run(kb.count("Document")) == 4
    every = [r.get("id") for r in _run(kb.getall(table_name="Document", limit=10))]
    assert sorted(every) == ["d1", "d2", "d3", "d4"]
    assert [r.get("id") for r in _run(kb.getall(table_name="Document", limit=2, offset=1))] == every[1:3]
    if engine == "lancedb":  # a DuckDB file is held by its one connection
        reopened = synalinks.KnowledgeBase(
            uri=uri_for(engine, tmp_path), data_models=[Document], embedding_model=TopicEmbeddings()
        )
        assert _run(reopened.count("Document")) == 4, "stored in the folder"
    assert _run(kb.delete(["d2", "d3", "nope"], table_name="Document")) == 2
    assert _run(kb.count("Document")) == 2
    assert _run(kb.update(Note(name="n1", body="x"))) == "n1" and _run(kb.count("Note")) == 1


def test_query_filters_on_fields(knowledge_base):
    found = _run(knowledge_base.query({"year": 2023}, table_name="Document"))
    assert [r.get("id") for r in found] == ["d2"]
    assert _run(knowledge_base.query({"title": "O'Brien"}, table_name="Document")) == [], "quotes are escaped"
    with pytest.raises(KnowledgeBaseError, match="names \\['author'\\]: Document has no such field"):
        _run(knowledge_base.query({"author": "Ada"}, table_name="Document"))


def test_similarity_fulltext_and_hybrid_search(knowledge_base):
    kb = knowledge_base
    near = _run(kb.similarity_search("a cat on a mat", table_name="Document", k=2))
    assert {r.get("id") for r in near} == {"d1", "d4"}
    assert _run(kb.similarity_search("cats", table_name="Document", k=4, threshold=0.05)) != []
    merged = _run(kb.similarity_search(["cat", "space"], table_name="Document", k=3))
    assert len(merged) == 3 and len({r["id"] for r in merged}) == 3, "several queries: one list, each record once"
    assert [r["score"] for r in merged] == sorted(r["score"] for r in merged), "distances, nearest first"
    words = _run(kb.fulltext_search("probe Mars", table_name="Document", k=2))
    assert words[0].get("id") == "d3"
    # The vector search ranks d3 first (space), the full-text search d4 (wool): fused, both lead.
    assert _run(kb.similarity_search("wool space", table_name="Document", k=1))[0].get("id") == "d3"
    assert _run(kb.fulltext_search("wool space", table_name="Document", k=1))[0].get("id") == "d4"
    fused = _run(kb.hybrid_search("wool space", table_name="Document", k=2))
    assert {r.get("id") for r in fused} == {"d3", "d4"}
    assert _run(kb.hybrid_fts_search("wool space", table_name=Document, k=2)) == fused, "a data model names its table"
    assert _run(kb.fulltext_search("cat wool", table_name="Document", k=4, conjunctive=True))[0]["id"] == "d4"
    assert [r["id"] for r in _run(kb.fulltext_search("cat wool", table_name="Document", k=4, conjunctive=True))] == [
        "d4"
    ]
    csv_text = _run(kb.fulltext_search("probe", table_name="Document", k=1, output_format="csv"))
    assert csv_text.splitlines()[0].startswith("id,title,text") and "d3" in csv_text
    _run(kb.update(Document(id="d5", title="Probe", text="Another space probe launched.")))
    assert "d5" in {r.get("id") for r in _run(kb.fulltext_search("probe", table_name="Document", k=5))}, (
        "the full-text index follows writes"
    )


def test_bad_input_gets_a_clear_error_and_changes_nothing(knowledge_base, tmp_path):
    kb = knowledge_base

    class Stranger(synalinks.DataModel):
        id: str

    with pytest.raises(KnowledgeBaseError, match="not a 'Stranger' record"):
        _run(kb.update([Document(id="d9", title="t", text="x"), Stranger(id="s")]))
    assert _run(kb.get("d9", table_name="Document")) is None, "nothing of a refused batch is written"
    with pytest.raises(KnowledgeBaseError, match="`table_name` 'Missing': the knowledge base has no such table"):
        _run(kb.count("Missing"))
    with pytest.raises(KnowledgeBaseError, match="dimension"):
        _run(kb.similarity_search(table_name="Document", vector_or_vectors=[0.1, 0.2]))

    class WiderEmbeddings(TopicEmbeddings):
        async def __call__(self, texts):
            return [vector + [0.0] for vector in await super().__call__(texts)]

    kb.embedding_model = WiderEmbeddings()
    with pytest.raises(KnowledgeBaseError, match="dimension 5"):
        _run(kb.update(Document(id="d8", title="t", text="cat")))
    assert _run(kb.get("d8", table_name="Document")) is None
    with pytest.raises(KnowledgeBaseError, match="does not fit its schema"):
        _run(kb.update(synalinks.JsonDataModel(schema=Document.get_schema(), json={"id": "d7", "title": 3})))
    assert _run(kb.get("d7", table_name="Document")) is None


def test_without_an_embedding_model_full_text_still_works(tmp_path, engine):
    kb = synalinks.KnowledgeBase(uri=uri_for(engine, tmp_path, "plain"), data_models=[Document], wipe_on_start=True)
    _run(kb.update(DOCUMENTS))
    assert _run(kb.fulltext_search("rates", table_name="Document", k=1))[0].get("id") == "d2"
    with pytest.raises(KnowledgeBaseError, match="embedding_model"):
        _run(kb.similarity_search("rates", table_name="Document"))
    if engine == "lancedb":
        wiped = synalinks.KnowledgeBase(
            uri=uri_for(engine, tmp_path, "plain"), data_models=[Document], wipe_on_start=True
        )
        assert _run(wiped.count("Document")) == 0


def test_a_dataset_streams_in_a_batch_at_a_time_and_again_changes_nothing(tmp_path, capsys):
    import json

    path = tmp_path / "docs.jsonl"
    path.write_text(
        "".join(json.dumps({"id": f"x{i}", "title": "t", "text": f"cat number {i}"}) + "\n" for i in range(25))
    )
    kb = synalinks.KnowledgeBase(uri=str(tmp_path / "kb"), data_models=[Document], embedding_model=TopicEmbeddings())
    dataset = synalinks.datasets.JSONLDataset(path, input_data_model=Document, batch_size=10)
    assert _run(kb.update(dataset)) == 25
    final_line = capsys.readouterr().err.strip().splitlines()[-1]
    assert final_line.startswith("3/3 [====") and final_line.endswith("records_written: 25"), "the progress bar's"
    assert kb.embedding_model.calls == 4, "one probe, then one embedding call per batch of 10"
    assert _run(kb.update(dataset, verbose=0)) == 25 and _run(kb.count("Document")) == 25
    labeled = synalinks.datasets.JSONLDataset(path, input_data_model=Document, output_data_model=Note)
    with pytest.raises(KnowledgeBaseError, match="without outputs"):
        _run(kb.update(labeled))


def test_past_index_threshold_a_vector_index_is_kept_and_follows_writes(tmp_path):
    import random

    class Point(synalinks.DataModel):
        id: str
        label: str

    class Coordinates(synalinks.EmbeddingModel):
        async def __call__(self, texts):
            return [[float(x) for x in text.split("|")[-1].split(",")] if "|" in text else [0.0] * 8 for text in texts]

    rng = random.Random(0)
    points = [[rng.uniform(-1, 1) for _ in range(8)] for _ in range(600)]
    kb = synalinks.KnowledgeBase(
        uri=str(tmp_path / "indexed"),
        data_models=[Point],
        embedding_model=Coordinates(model="fake/xyz"),
        index_threshold=500,
    )
    records = [Point(id=f"p{i}", label="p|" + ",".join(map(str, point))) for i, point in enumerate(points[:400])]
    _run(kb.update(records))
    adapter = kb._adapter
    assert _run(kb.similarity_search(table_name="Point", vector_or_vectors=points[7], k=1))[0]["id"] == "p7"
    assert adapter._index_name("Point", "_vector") is None, "below the threshold the search is exact, no index"
    _run(kb.update([Point(id=f"p{i}", label="p|" + ",".join(map(str, points[i]))) for i in range(400, 600)]))
    assert _run(kb.similarity_search(table_name="Point", vector_or_vectors=points[555], k=1))[0]["id"] == "p555"
    assert adapter._index_name("Point", "_vector") is not None, "past the threshold an index is made"
    _run(kb.update(Point(id="new", label="p|" + ",".join(["0.99"] * 8))))
    assert _run(kb.similarity_search(table_name="Point", vector_or_vectors=[0.99] * 8, k=1))[0]["id"] == "new", (
        "a record written after the index is found too"
    )


def test_concurrent_writes_and_another_knowledge_base_on_the_same_folder_see_every_record(tmp_path):
    uri = str(tmp_path / "shared")
    reader = synalinks.KnowledgeBase(uri=uri, data_models=[Note])
    assert _run(reader.count("Note")) == 0
    for trial in range(10):
        writer = synalinks.KnowledgeBase(uri=uri, data_models=[Note])

        async def both(writer=writer, trial=trial):
            await asyncio.gather(
                writer.update(Note(name=f"a{trial}", body="x")), writer.update(Note(name=f"b{trial}", body="y"))
            )
            return await writer.count("Note")

        assert _run(both()) == 2 * (trial + 1), "two writes at once: both seen by the writer"
    assert _run(reader.count("Note")) == 20, "a knowledge base opened before sees the later commits"
