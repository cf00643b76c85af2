"""`DataModel`: the user-facing, pydantic-based description of structured data."""

import copy as copy_module
import json
from typing import Any

import pydantic
from pydantic._internal._model_construction import ModelMetaclass

from synalinks.data_models.json_data_model import JsonDataModel

_schema_cache: dict[Any, Any] = {}


def _merged_class(left, right, optional, name):
    """A new DataModel class with the fields of both (a right field whose name is taken gets `_1`, ...)."""
    fields = {}
    for source in (left, right):
        for field_name, info in source.model_fields.items():
            free = field_name
            index = 1
            while free in fields:
                free, index = f"{field_name}_{index}", index + 1
            annotation = info.annotation
            info = copy_module.copy(info)
            if optional:
                annotation = annotation | None
                info.default = None
            fields[free] = (annotation, info)
    return pydantic.create_model(name, __base__=DataModel, **fields)


def _class_operator(optional, joiner):
    """`cls <op> other` for DataModel classes: the merged class (fields optional for `|` and `^`)."""

    def operator(cls, other):
        if not isinstance(other, _DataModelClass):
            return NotImplemented
        return _merged_class(cls, other, optional=optional, name=f"{cls.__name__}{joiner}{other.__name__}")

    return operator


class _DataModelClass(ModelMetaclass):
    """Operators on DataModel classes, as on their values: `Query + Answer` is a new DataModel class.

    `+` and `&` give every field of both (all required); `|` and `^` every
    field, each optional (either side may be missing); `~` a class with no field.
    """

    __add__ = _class_operator(optional=False, joiner="")
    __and__ = _class_operator(optional=False, joiner="And")
    __or__ = _class_operator(optional=True, joiner="Or")
    __xor__ = _class_operator(optional=True, joiner="Xor")

    def __invert__(cls):  # noqa: N805 (a metaclass method: its argument is the class)
        return pydantic.create_model(f"Not{cls.__name__}", __base__=DataModel)


class DataModel(pydantic.BaseModel, metaclass=_DataModelClass):
    """The base class of the structured inputs and outputs of programs.

    A `DataModel` is a pydantic model: declare its fields with type hints and
    `synalinks.Field(description=...)`. Its JSON schema is what the language
    model is asked to fill, and the descriptions are part of the prompt.

    Example:

    ```python
    class Query(synalinks.DataModel):
        query: str = synalinks.Field(description="The user query")

    class Answer(synalinks.DataModel):
        answer: str = synalinks.Field(description="The correct answer")

    Answer(answer="4").get_json()  # {"answer": "4"}
    ```
    """

    model_config = pydantic.ConfigDict(extra="forbid")

    @classmethod
    def get_schema(cls, copy=True):
        """Returns the JSON schema of this data model.

        Args:
            copy: Return a copy (default). Internal callers that never mutate
                the schema pass False to skip the copy.
        """
        schema = _schema_cache.get(cls)
        if schema is None:
            schema = cls.model_json_schema()
            _schema_cache[cls] = schema
        return copy_module.deepcopy(schema) if copy else schema

    @classmethod
    def prettify_schema(cls):
        """Returns the JSON schema as indented JSON text."""
        return json.dumps(cls.get_schema(copy=False), indent=2)

    def get_json(self):
        """Returns the value as a JSON-compatible dict."""
        return self.model_dump(mode="json")

    def prettify_json(self):
        """Returns the value as indented JSON text."""
        return json.dumps(self.get_json(), indent=2)

    def to_json_data_model(self):
        """Returns the value as a `JsonDataModel` (schema plus JSON)."""
        return JsonDataModel(data_model=self)

    def __add__(self, other):
        return self.to_json_data_model() + other

    def __and__(self, other):
        return self.to_json_data_model() & other

    def __or__(self, other):
        return self.to_json_data_model() | other

    def __xor__(self, other):
        return self.to_json_data_model() ^ other

    # With None (a branch that did not run) on the left: `None | answer`.
    def __rand__(self, other):
        return other & self.to_json_data_model()

    def __ror__(self, other):
        return self.to_json_data_model().__ror__(other)

    def __rxor__(self, other):
        return self.to_json_data_model().__rxor__(other)

    def __invert__(self):
        return None

    def get(self, key, default=None):
        """The value of field `key` (as JSON), or `default` when the model has no such field."""
        return self.get_json().get(key, default)

    def __getitem__(self, key):
        """`answer["text"]`: the value of a field, as JSON."""
        value = self.get_json()
        if key not in value:
            raise KeyError(f"{type(self).__name__} has no field {key!r}; its fields are {list(value)}.")
        return value[key]

    def __contains__(self, key):
        return key in type(self).model_fields
