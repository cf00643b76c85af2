"""`KnowledgeLookup`: the base of the modules where a language model writes a search and a knowledge base
answers it (`RetrieveKnowledge`, and the retrievers built on `KnowledgeSearch`)."""

from synalinks.data_models.concatenation import concatenate_schemas
from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.core.inner_generator import inner_generator_config
from synalinks.modules.module import Module
from synalinks.saving.module_config import module_from_config
from synalinks.utils.checks import check_positive_int

OUTPUT_FORMATS = ("json", "csv")


def result_schema(output_format="json"):
    """The `result` field every lookup returns: the records found (a list of dicts, or CSV text)."""
    kind = {"type": "array", "items": {"type": "object"}} if output_format == "json" else {"type": "string"}
    return {
        "title": "GenericResult",
        "type": "object",
        "properties": {"result": {**kind, "description": "The records found"}},
        "required": ["result"],
    }


class KnowledgeLookup(Module):
    """Writes a search with `query_generator` (a trainable `Generator`), runs it with `find`, and returns
    the input's fields (`return_inputs`), the search written (`return_query`) and the records (`result`).

    Subclasses set `self.query_generator` in their constructor and implement
    `find(query)`, which returns the records for the search written (a
    `JsonDataModel`).

    Args:
        knowledge_base: The `KnowledgeBase` searched (required).
        k: The most records returned.
        output_format: "json" (a list of dicts) or "csv" (text, fewer tokens for a model to read).
        return_inputs: Put the input's fields first.
        return_query: Put the search written next.
        name, description, trainable: As for every module.

    Example:

    ```python
    class FirstRecords(KnowledgeLookup):
        async def find(self, query):
            return self.knowledge_base.get_records(limit=self.k)
    ```
    """

    def __init__(
        self,
        knowledge_base=None,
        k=10,
        output_format="json",
        return_inputs=True,
        return_query=True,
        name=None,
        description=None,
        trainable=True,
    ):
        super().__init__(name=name, description=description, trainable=trainable)
        if knowledge_base is None:
            raise ValueError(f"{self.name}: {type(self).__name__} needs a `knowledge_base`.")
        if output_format not in OUTPUT_FORMATS:
            raise ValueError(f"`output_format` must be one of {OUTPUT_FORMATS}, got {output_format!r}.")
        check_positive_int(k, "k")
        self.knowledge_base = knowledge_base
        self.k = k
        self.output_format = output_format
        self.return_inputs = return_inputs
        self.return_query = return_query

    async def find(self, query):
        """The records for `query` (the search the language model wrote): a list of dicts, or CSV text."""
        raise NotImplementedError

    async def call(self, inputs, training=False):
        if inputs is None:
            return None
        query = await self.query_generator(inputs, training=training)
        if query is None:
            return None
        records = await self.find(query)
        output = JsonDataModel(schema=result_schema(self.output_format), json={"result": records}, name=self.name)
        if self.return_query:
            output = query + output
        return inputs + output if self.return_inputs else output

    def compute_output_spec(self, inputs):
        schema = result_schema(self.output_format)
        if self.return_query:
            schema = concatenate_schemas(self.query_generator.schema, schema)
        if self.return_inputs:
            schema = concatenate_schemas(inputs.get_schema(), schema)
        return SymbolicDataModel(schema=schema, name=self.name)

    def lookup_config(self):
        """The subclass's own arguments, saved with the common ones."""
        return {}

    def get_config(self):
        return {
            **super().get_config(),
            "knowledge_base": self.knowledge_base,
            "language_model": self.query_generator.language_model,
            "k": self.k,
            **inner_generator_config(self.query_generator),
            "return_inputs": self.return_inputs,
            "return_query": self.return_query,
            **self.lookup_config(),
        }

    @classmethod
    def from_config(cls, config):
        return module_from_config(cls, config)
