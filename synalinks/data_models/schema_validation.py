"""Checking a JSON value against a JSON schema, with compiled validators cached."""

from typing import Any

# Validators are cached per schema object; the schema is kept in the entry so
# that its id cannot be reused by another object while the entry lives.
_validators: dict[str, Any] = {}
_MAX_CACHED = 4096


def _validator_for(schema):
    entry = _validators.get(id(schema))
    if entry is not None and entry[0] is schema:
        return entry[1]
    import jsonschema  # imported on first use: it is slow to import

    if len(_validators) >= _MAX_CACHED:
        _validators.clear()
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    validator = validator_class(schema)
    _validators[id(schema)] = (schema, validator)
    return validator


_SCALAR_CHECKS = {
    "string": lambda item: isinstance(item, str),
    "integer": lambda item: isinstance(item, int) and not isinstance(item, bool),
    "number": lambda item: isinstance(item, (int, float)) and not isinstance(item, bool),
    "boolean": lambda item: isinstance(item, bool),
}
_PLAIN_KEYS = {"title", "description", "default", "examples"}
_flat_checks: dict[str, Any] = {}


def _flat_check(schema):
    """For an object schema whose fields are plain scalars (the common record), a function that says
    quickly that a value is valid; None for any other schema. It never accepts an invalid value."""
    entry = _flat_checks.get(id(schema))
    if entry is not None and entry[0] is schema:
        return entry[1]
    check = None
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if (
        isinstance(properties, dict)
        and schema.get("type") == "object"
        and set(schema) <= _PLAIN_KEYS | {"type", "properties", "required", "additionalProperties"}
        and schema.get("additionalProperties", True) in (True, False)
        and all(
            isinstance(prop, dict) and set(prop) <= _PLAIN_KEYS | {"type"} and prop.get("type") in _SCALAR_CHECKS
            for prop in properties.values()
        )
    ):
        fields = [(name, _SCALAR_CHECKS[prop["type"]]) for name, prop in properties.items()]
        required = list(schema.get("required", []))
        closed = schema.get("additionalProperties", True) is False

        def check(value):
            if not isinstance(value, dict) or any(name not in value for name in required):
                return False
            if closed and any(name not in properties for name in value):
                return False
            return all(name not in value or is_type(value[name]) for name, is_type in fields)

    if len(_flat_checks) >= _MAX_CACHED:
        _flat_checks.clear()
    _flat_checks[id(schema)] = (schema, check)
    return check


def schema_errors(value, schema):
    """Returns the list of messages saying where `value` breaks `schema` (empty if valid).

    Example:

    ```python
    errors = schema_errors({"answer": 3}, Answer.get_schema())
    # ["answer: 3 is not of type 'string'"]
    ```
    """
    flat_check = _flat_check(schema)
    if flat_check is not None and flat_check(value):
        return []
    validator = _validator_for(schema)
    messages = []
    for error in validator.iter_errors(value):
        where = "/".join(str(part) for part in error.absolute_path) or "(root)"
        messages.append(f"{where}: {error.message}")
    return messages


def is_valid(value, schema):
    """Returns True when `value` conforms to `schema`."""
    flat_check = _flat_check(schema)
    if flat_check is not None and flat_check(value):
        return True
    return _validator_for(schema).is_valid(value)
