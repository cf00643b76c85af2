"""`DataModel`: the user-facing, pydantic-based description of structured data."""

import copy as copy_module
import json

import pydantic

from synalinks.data_models.json_data_model import JsonDataModel

_schema_cache = {}


class DataModel(pydantic.BaseModel):
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

    def __invert__(self):
        return None

    def __contains__(self, key):
        return key in type(self).model_fields
