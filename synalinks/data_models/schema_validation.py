"""Checking a JSON value against a JSON schema, with compiled validators cached."""

# Validators are cached per schema object; the schema is kept in the entry so
# that its id cannot be reused by another object while the entry lives.
_validators = {}
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


def schema_errors(value, schema):
    """Returns the list of messages saying where `value` breaks `schema` (empty if valid).

    Example:

    ```python
    errors = schema_errors({"answer": 3}, Answer.get_schema())
    # ["answer: 3 is not of type 'string'"]
    ```
    """
    validator = _validator_for(schema)
    messages = []
    for error in validator.iter_errors(value):
        where = "/".join(str(part) for part in error.absolute_path) or "(root)"
        messages.append(f"{where}: {error.message}")
    return messages


def is_valid(value, schema):
    """Returns True when `value` conforms to `schema`."""
    return _validator_for(schema).is_valid(value)
