import json

import pytest

import synalinks
from tests.conftest import Answer, Query


def test_data_model_schema_json_and_pretty_print():
    answer = Answer(answer="4")
    schema = Answer.get_schema()
    assert schema["properties"]["answer"]["description"] == "The answer"
    assert schema["required"] == ["answer"]
    assert answer.get_json() == {"answer": "4"}
    assert json.loads(answer.prettify_json()) == {"answer": "4"}
    assert "\n" in answer.prettify_json()


def test_get_schema_returns_a_copy_callers_may_change():
    Answer.get_schema()["properties"].clear()
    assert "answer" in Answer.get_schema()["properties"]


def test_json_data_model_from_data_model_and_access():
    value = synalinks.JsonDataModel(data_model=Query(query="hi"))
    assert value.get_json() == {"query": "hi"}
    assert value.get_schema() == Query.get_schema()
    assert value["query"] == "hi" and value.get("missing", 1) == 1
    assert json.loads(value.prettify_json()) == {"query": "hi"}


def test_json_data_model_rejects_non_dict_json():
    with pytest.raises(TypeError, match="must be a dict"):
        synalinks.JsonDataModel(schema=Query.get_schema(), json=["hi"])


def test_concatenation_renames_clashing_fields_on_both_schema_and_value():
    left = synalinks.JsonDataModel(data_model=Answer(answer="a"))
    right = synalinks.JsonDataModel(data_model=Answer(answer="b"))
    merged = left + right
    assert merged.get_json() == {"answer": "a", "answer_1": "b"}
    assert list(merged.get_schema()["properties"]) == ["answer", "answer_1"]
    assert merged.get_schema()["required"] == ["answer", "answer_1"]
    assert synalinks.data_models.is_valid(merged.get_json(), merged.get_schema())


def test_and_with_none_is_none():
    value = synalinks.JsonDataModel(data_model=Answer(answer="a"))
    assert (value & None) is None
    assert (None & value) is None


def test_symbolic_data_model_holds_schema():
    symbolic = synalinks.SymbolicDataModel(data_model=Query)
    assert symbolic.get_schema()["title"] == "Query"
    assert "query" in symbolic.prettify_schema()


def test_schema_errors_say_where():
    errors = synalinks.data_models.schema_errors({"answer": 3}, Answer.get_schema())
    assert errors and errors[0].startswith("answer:")
    assert synalinks.data_models.schema_errors({"answer": "3"}, Answer.get_schema()) == []
