"""`JsonDataModel`: the runtime value passed between modules, a schema plus a JSON value."""

import json


class JsonDataModel:
    """A JSON value together with the JSON schema it conforms to.

    This is what flows between modules when a program runs. It is plain data:
    no pydantic class is needed to build one, which is what lets a program
    loaded from a file (where only schemas are stored) run exactly as the
    original.

    Args:
        schema: The JSON schema of the value (a dict).
        json: The value (a dict).
        data_model: A `DataModel` instance to take both from, instead.
        name: An optional name.

    Example:

    ```python
    x = synalinks.JsonDataModel(data_model=Query(query="What is 2+2?"))
    x.get_json()       # {"query": "What is 2+2?"}
    x.get("query")     # "What is 2+2?"
    ```
    """

    __slots__ = ("_schema", "_json", "name")

    def __init__(self, schema=None, json=None, data_model=None, name=None):
        if data_model is not None:
            schema = type(data_model).get_schema(copy=False)
            json = data_model.get_json()
        if schema is None or json is None:
            raise ValueError("JsonDataModel needs a `schema` and a `json` value, or a `data_model` instance.")
        if not isinstance(json, dict):
            raise TypeError(f"JsonDataModel's `json` must be a dict, got {type(json).__name__}: {json!r}")
        self._schema = schema
        self._json = json
        self.name = name

    def get_schema(self):
        """Returns the JSON schema."""
        return self._schema

    def get_json(self):
        """Returns the JSON value (a dict)."""
        return self._json

    def prettify_schema(self):
        """Returns the schema as indented JSON text."""
        return json.dumps(self._schema, indent=2)

    def prettify_json(self):
        """Returns the value as indented JSON text."""
        return json.dumps(self._json, indent=2)

    def get(self, key, default=None):
        """Returns the value of field `key`, or `default`."""
        return self._json.get(key, default)

    def keys(self):
        return self._json.keys()

    def __getitem__(self, key):
        return self._json[key]

    def __contains__(self, key):
        return key in self._json

    def __eq__(self, other):
        if not isinstance(other, JsonDataModel):
            return NotImplemented
        return self._json == other._json and self._schema == other._schema

    def __hash__(self):
        return hash(json.dumps(self._json, sort_keys=True))

    def __repr__(self):
        return f"<JsonDataModel json={self._json!r}>"

    # The JSON operations (their awaitable forms are in `synalinks.ops`)

    def _apply(self, operation, argument=None, name=None, pattern=None):
        from synalinks.data_models.json_operations import apply

        schema, value = apply(operation, argument, self._schema, self._json, pattern)
        return JsonDataModel(schema=schema, json=value, name=name or self.name)

    def in_mask(self, mask=None, pattern=None, name=None):
        """A copy with only the fields named in `mask` or matching the regex `pattern`."""
        return self._apply("in_mask", mask, name, pattern)

    def out_mask(self, mask=None, pattern=None, name=None):
        """A copy without the fields named in `mask` or matching the regex `pattern`."""
        return self._apply("out_mask", mask, name, pattern)

    def prefix(self, prefix, name=None):
        """A copy whose fields are renamed `{prefix}_{field}`."""
        return self._apply("prefix", prefix, name)

    def suffix(self, suffix, name=None):
        """A copy whose fields are renamed `{field}_{suffix}`."""
        return self._apply("suffix", suffix, name)

    def factorize(self, name=None):
        """A copy where fields repeated by concatenation (`answer`, `answer_1`) become one list (`answers`)."""
        return self._apply("factorize", None, name)

    def values(self):
        return self._json.values()

    def items(self):
        return self._json.items()

    def update(self, values):
        """Sets fields from a dict (or another data model); the result must still follow the schema."""
        from synalinks.data_models.schema_validation import schema_errors

        values = values.get_json() if hasattr(values, "get_json") else dict(values)
        updated = {**self._json, **values}
        errors = schema_errors(updated, self._schema)
        if errors:
            raise ValueError(f"The update does not follow the schema: {'; '.join(errors[:3])}")
        self._json = updated

    def clone(self, name=None):
        """An independent copy (of the schema and the value)."""
        import copy

        return JsonDataModel(schema=copy.deepcopy(self._schema), json=copy.deepcopy(self._json), name=name or self.name)

    def to_symbolic_data_model(self, name=None):
        """The `SymbolicDataModel` of this value's schema (to trace a program with it)."""
        from synalinks.data_models.symbolic_data_model import SymbolicDataModel

        return SymbolicDataModel(schema=self._schema, name=name or self.name)

    def __add__(self, other):
        from synalinks.data_models.concatenation import concatenate_json, concatenate_schemas

        other = to_json_data_model(other)
        if other is None:
            raise ValueError("Cannot concatenate a data model with None (use `&` to get None instead).")
        return JsonDataModel(
            schema=concatenate_schemas(self._schema, other._schema),
            json=concatenate_json(self._json, other._json),
        )

    def __and__(self, other):
        if other is None:
            return None
        return self + other

    def __rand__(self, other):
        if other is None:
            return None
        return to_json_data_model(other) + self

    def __or__(self, other):
        other = to_json_data_model(other)
        return self if other is None else self + other

    def __ror__(self, other):
        return self if other is None else to_json_data_model(other) + self

    def __xor__(self, other):
        return self if other is None else None

    __rxor__ = __xor__

    def __invert__(self):
        return None


def to_json_data_model(value):
    """Returns `value` as a `JsonDataModel` (None stays None).

    Accepts a `JsonDataModel`, a `DataModel` instance, or anything with
    `get_schema()` and `get_json()`.
    """
    if value is None or isinstance(value, JsonDataModel):
        return value
    if hasattr(value, "get_schema") and hasattr(value, "get_json"):
        if hasattr(type(value), "model_fields"):
            return JsonDataModel(data_model=value)
        return JsonDataModel(schema=value.get_schema(), json=value.get_json())
    raise TypeError(
        f"Expected a DataModel or JsonDataModel instance, got {type(value).__name__}: {value!r}. "
        "Wrap plain values in a DataModel, e.g. Query(query='...')."
    )
