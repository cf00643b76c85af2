"""RetrieveKnowledge: a RAG program written by the language model's queries, saved and loaded."""

import asyncio
import json

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.knowledge_bases.test_knowledge_base import DOCUMENTS, Document, TopicEmbeddings


class Question(synalinks.DataModel):
    question: str


class Answer(synalinks.DataModel):
    answer: str


def rag_lm(requests_seen):
    def reply(messages, schema, index):
        requests_seen.append(messages[-1]["content"])
        if "search" in schema["properties"]:
            return {"tables": ["Document"], "search": ["cat", "sofa"]}
        return {"answer": "It sleeps."}

    return ScriptedLanguageModel(reply_function=reply, name="rag_lm")


def build(knowledge_base, lm, **kwargs):
    async def make():
        inputs = synalinks.Input(data_model=Question)
        retrieved = await synalinks.RetrieveKnowledge(
            knowledge_base=knowledge_base, language_model=lm, k=3, name="retriever", **kwargs
        )(inputs)
        answer = await synalinks.Generator(data_model=Answer, language_model=lm, name="answerer")(retrieved)
        return synalinks.Program(inputs=inputs, outputs=answer, name="rag")

    return asyncio.run(make())


@pytest.fixture
def knowledge_base(tmp_path):
    kb = synalinks.KnowledgeBase(uri=str(tmp_path / "kb"), data_models=[Document], embedding_model=TopicEmbeddings())
    asyncio.run(kb.update(DOCUMENTS))
    return kb


@pytest.mark.parametrize("search_type", ["similarity", "fulltext", "hybrid"])
def test_the_retrieved_records_reach_the_answering_generator(knowledge_base, search_type):
    seen = []
    program = build(knowledge_base, rag_lm(seen), search_type=search_type)
    retriever = program.get_module(name="retriever")
    assert list(retriever.output_spec(synalinks.SymbolicDataModel(data_model=Question)).get_schema()["properties"]) == [
        "question",
        "search",
        "result",
    ], "with one table the model is not asked which"
    assert asyncio.run(program(Question(question="Where does the cat sleep?"))).get_json() == {"answer": "It sleeps."}
    answering_prompt = seen[-1]
    assert '"question": "Where does the cat sleep?"' in answering_prompt and "sofa all day" in answering_prompt
    assert retriever.query_writer.trainable, "the query writer's instructions and examples train"
    search = retriever.query_writer.schema["properties"]["search"]
    assert (search["minItems"], search["maxItems"]) == (1, 3), "a small model cannot repeat queries forever"
    with pytest.raises(ValueError, match="search_type"):
        synalinks.RetrieveKnowledge(knowledge_base=knowledge_base, language_model=rag_lm([]), search_type="regex")


def test_a_rag_program_saves_and_loads_with_its_knowledge_base(knowledge_base, tmp_path):
    seen = []
    lm = rag_lm(seen)
    program = build(knowledge_base, lm, search_type="fulltext")
    path = tmp_path / "rag.program.json"
    program.save(path)
    # In safe mode the caller passes the knowledge base; the file does not choose where the data is.
    loaded = synalinks.programs.load_program(
        path, language_model=lm, custom_objects={"TopicEmbeddings": TopicEmbeddings}, knowledge_base=knowledge_base
    )
    retriever = loaded.get_module(name="retriever")
    assert retriever.knowledge_base is knowledge_base and retriever.search_type == "fulltext"
    assert asyncio.run(loaded(Question(question="cat?"))).get_json() == {"answer": "It sleeps."}
    assert "sofa all day" in seen[-1], "the reloaded program reads the same stored records"


class Order(synalinks.DataModel):
    order_id: str
    item: str


def test_update_knowledge_stores_what_a_program_extracts_and_passes_it_on(tmp_path):
    kb = synalinks.KnowledgeBase(uri=str(tmp_path / "orders"), data_models=[Order])
    lm = ScriptedLanguageModel(
        reply_function=lambda messages, schema, index: {
            "order_id": "o" + json.loads(messages[-1]["content"])["question"][-1],
            "item": "mug",
        }
    )

    async def make():
        inputs = synalinks.Input(data_model=Question)
        order = await synalinks.Generator(data_model=Order, language_model=lm)(inputs)
        stored = await synalinks.UpdateKnowledge(knowledge_base=kb)(order)
        return synalinks.Program(inputs=inputs, outputs=stored)

    program = asyncio.run(make())
    outputs = program.predict([Question(question="order 1"), Question(question="order 2")], verbose=0)
    assert [o.get("order_id") for o in outputs] == ["o1", "o2"]
    assert asyncio.run(kb.count("Order")) == 2
    program.predict([Question(question="order 1")], verbose=0)
    assert asyncio.run(kb.count("Order")) == 2, "the same key is updated, not doubled"
    assert asyncio.run(kb.get("o2", table_name="Order")).get_json() == {"order_id": "o2", "item": "mug"}


def test_with_several_tables_the_model_picks_among_them(tmp_path):
    from tests.knowledge_bases.test_knowledge_base import Note

    kb = synalinks.KnowledgeBase(
        uri=str(tmp_path / "two"), data_models=[Document, Note], embedding_model=TopicEmbeddings()
    )
    asyncio.run(kb.update(DOCUMENTS + [Note(name="n1", body="the cat's vet is on Monday")]))
    schemas = []

    def reply(messages, schema, index):
        schemas.append(schema)
        return {"tables": ["Note"], "search": ["vet"]}

    retriever = synalinks.RetrieveKnowledge(
        knowledge_base=kb, language_model=ScriptedLanguageModel(reply_function=reply), search_type="fulltext"
    )
    output = asyncio.run(retriever(Question(question="When is the vet?"))).get_json()
    tables = schemas[0]["properties"]["tables"]
    assert tables["items"]["enum"] == ["Document", "Note"] and tables["maxItems"] == 2 and tables["uniqueItems"]
    assert [record["name"] for record in output["result"]] == ["n1"], "only the chosen table is searched"
