"""`Variable`: a named JSON state that training may change."""

import copy

from synalinks.data_models.schema_validation import schema_errors
from synalinks.utils.checks import schema_of


def _defaults_of(data_model):
    """The value of `data_model()` when all its fields have defaults, else `{}`."""
    if isinstance(data_model, type) and hasattr(data_model, "model_fields"):
        try:
            return data_model().get_json()
        except ValueError:  # a required field: no default value
            return {}
    return {}


class Variable:
    """A named JSON value with a schema, owned by a module.

    Trainable variables hold what training changes (instructions, few-shot
    examples); optimizers read and assign them, and checkpoints save them.
    The value is always a plain JSON dict.

    Args:
        initializer: The initial value (a dict), or a `DataModel` instance.
        data_model: A `DataModel` class whose schema the value follows
            (optional when `initializer` is a `DataModel` instance).
        schema: The JSON schema, instead of `data_model`.
        trainable: Whether optimizers may change it.
        name: The variable's name inside its module.
        description: What the variable holds (optimizers may show it).

    Without `initializer`, the value is the `data_model`'s default one (every
    field with its default), or `{}`.

    Example:

    ```python
    variable = synalinks.Variable(initializer={"instructions": ""}, name="state")
    variable.update({"instructions": "Answer in one word."})
    variable.get("instructions")  # "Answer in one word."
    ```
    """

    def __init__(
        self, initializer=None, data_model=None, schema=None, trainable=True, name="variable", description=None
    ):
        if initializer is not None and hasattr(initializer, "get_json"):
            if data_model is None and schema is None:
                schema = type(initializer).get_schema()
            initializer = initializer.get_json()
        if schema is None:
            schema = schema_of(data_model, None, who=f"Variable '{name}'", required=False)
        if initializer is None:
            initializer = _defaults_of(data_model)
        if not isinstance(initializer, dict):
            raise TypeError(f"Variable '{name}' must hold a dict, got {type(initializer).__name__}.")
        self._value = initializer
        self._schema = schema
        self.trainable = trainable
        self.name = name
        self.description = description
        self.path = name

    def get_json(self):
        """Returns the value (the live dict: copy it before keeping it)."""
        return self._value

    def get_schema(self):
        """Returns the JSON schema, or None when the variable has none."""
        return self._schema

    def get(self, key, default=None):
        """Returns field `key` of the value."""
        return self._value.get(key, default)

    def keys(self):
        """The fields of the value."""
        return self._value.keys()

    def assign(self, value):
        """Replaces the value with `value` (a dict or a `DataModel` instance)."""
        if hasattr(value, "get_json"):
            value = value.get_json()
        if not isinstance(value, dict):
            raise TypeError(f"Variable '{self.path}' must hold a dict, got {type(value).__name__}.")
        self._value = value

    def update(self, fields):
        """Sets the given fields of the value."""
        self._value = {**self._value, **fields}

    def validate(self, value):
        """Returns the list of schema errors of `value` for this variable (empty if valid)."""
        if self._schema is None:
            return [] if isinstance(value, dict) else ["(root): not an object"]
        return schema_errors(value, self._schema)

    def snapshot(self):
        """Returns a deep copy of the value, safe to keep while training goes on."""
        return copy.deepcopy(self._value)

    def __repr__(self):
        return f"<Variable path={self.path!r} trainable={self.trainable}>"
