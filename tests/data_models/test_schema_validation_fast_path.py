"""The fast check of flat records agrees with jsonschema: it never accepts what jsonschema refuses."""

import itertools

import jsonschema

from synalinks.data_models.schema_validation import _flat_check, is_valid, schema_errors

SCHEMA = {
    "title": "Record",
    "type": "object",
    "properties": {
        "name": {"type": "string", "description": "A name"},
        "count": {"type": "integer"},
        "score": {"type": "number"},
        "flag": {"type": "boolean"},
    },
    "required": ["name", "count"],
    "additionalProperties": False,
}
VALUES = ["x", 1, 1.5, True, None, [], {}]


def test_fast_path_agrees_with_jsonschema_on_every_combination():
    assert _flat_check(SCHEMA) is not None
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for name, count, score, flag in itertools.product(VALUES, repeat=4):
        value = {"name": name, "count": count, "score": score, "flag": flag}
        assert is_valid(value, SCHEMA) == validator.is_valid(value), value
        assert (schema_errors(value, SCHEMA) == []) == validator.is_valid(value), value
    assert not is_valid({"name": "a"}, SCHEMA), "a required field is missing"
    assert not is_valid({"name": "a", "count": 1, "other": 2}, SCHEMA), "no other field"
    assert schema_errors({"name": "a", "count": "1"}, SCHEMA) == ["count: '1' is not of type 'integer'"]


def test_other_schemas_take_the_full_validator():
    assert _flat_check({"type": "object", "properties": {"a": {"type": "string", "enum": ["x"]}}}) is None
    assert _flat_check({"type": "object", "properties": {"a": {"type": "array"}}}) is None
    assert _flat_check({"type": "object", "properties": {"a": {"anyOf": [{"type": "string"}]}}}) is None
