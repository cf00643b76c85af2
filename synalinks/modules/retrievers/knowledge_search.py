"""`KnowledgeSearch`: the base of the retrievers (a Generator writes the queries, one knowledge base
search answers them)."""

from synalinks.data_models.concatenation import concatenate_schemas
from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.core.generator import Generator, inner_generator_config
from synalinks.modules.module import Module
from synalinks.saving.module_config import module_from_config
from synalinks.utils.checks import check_positive_int


def result_schema(output_format):
    """The `result` field: the rows found (a list of dicts, or CSV text)."""
    kind = {"type": "array", "items": {"type": "object"}} if output_format == "json" else {"type": "string"}
    return {
        "title": "GenericResult",
        "type": "object",
        "properties": {"result": {**kind, "description": "The records found"}},
        "required": ["result"],
    }


class KnowledgeSearch(Module):
    """A `Generator` (trainable: its instructions and examples are variables)
    writes the search from the module's input; the knowledge base runs it on
    one table; the output is the input's fields (`return_inputs`), the
    search written (`return_query`) and the rows found (`result`).

    Subclasses name the query's fields (`query_properties`) and run the
    search (`search`).

    Args:
        knowledge_base: The `KnowledgeBase`.
        language_model: The model that writes the search.
        schema: The JSON schema of the searched table's records (its title names the table).
        data_model: Or the searched table's `DataModel`.
        table_name: Or the table's name; with none of the three the model picks a table per call.
        k: The most rows returned.
        output_format: "json" (a list of dicts) or "csv" (text, fewer tokens for a model to read).
        prompt_template, examples, instructions, seed_instructions,
            temperature, max_tokens, top_p, top_k, reasoning_effort,
            use_inputs_schema, use_outputs_schema: The query writer's `Generator` arguments.
        return_inputs: Put the input's fields first (default True).
        return_query: Put the search written next (default True).
        name, description, trainable: As for every module.
    """

    query_properties = {}  # field -> JSON schema property, set by each subclass

    def __init__(
        self,
        *,
        knowledge_base=None,
        language_model=None,
        schema=None,
        data_model=None,
        table_name=None,
        k=10,
        output_format="json",
        prompt_template=None,
        examples=None,
        instructions=None,
        seed_instructions=None,
        temperature=None,
        max_tokens=None,
        top_p=None,
        top_k=None,
        reasoning_effort=None,
        use_inputs_schema=False,
        use_outputs_schema=False,
        return_inputs=True,
        return_query=True,
        name=None,
        description=None,
        trainable=True,
    ):
        super().__init__(name=name, description=description, trainable=trainable)
        if knowledge_base is None:
            raise ValueError(f"{self.name}: {type(self).__name__} needs a `knowledge_base`.")
        if output_format not in ("json", "csv"):
            raise ValueError(f"`output_format` must be 'json' or 'csv', got {output_format!r}.")
        check_positive_int(k, "k")
        if schema is None and data_model is not None:
            schema = data_model.get_schema()
        self.knowledge_base = knowledge_base
        self.table_name = table_name or (schema or {}).get("title")
        self.k = k
        self.output_format = output_format
        self.return_inputs = return_inputs
        self.return_query = return_query
        self.query_generator = Generator(
            schema=self._query_schema(),
            language_model=language_model,
            prompt_template=prompt_template,
            examples=examples,
            instructions=instructions,
            seed_instructions=seed_instructions,
            temperature=temperature,
            max_tokens=max_tokens,
            top_p=top_p,
            top_k=top_k,
            reasoning_effort=reasoning_effort,
            use_inputs_schema=use_inputs_schema,
            use_outputs_schema=use_outputs_schema,
            name=f"{self.name}_query",
        )

    def _query_schema(self):
        properties = dict(self.query_properties)
        required = [field for field, prop in properties.items() if "default" not in prop]
        if self.table_name is None:
            properties["table_name"] = {
                "type": "string",
                "enum": self.knowledge_base.table_names(),
                "description": "The table to search, the one that best answers the input",
            }
            required.append("table_name")
        return {"title": "SearchQuery", "type": "object", "properties": properties, "required": required}

    async def search(self, query, table_name):
        """The rows found for `query` (the search written, a dict) in `table_name`."""
        raise NotImplementedError

    async def call(self, inputs, training=False):
        if inputs is None:
            return None
        query = await self.query_generator(inputs, training=training)
        if query is None:
            return None
        table_name = self.table_name or query.get("table_name")
        rows = await self.search(query.get_json(), table_name)
        output = JsonDataModel(schema=result_schema(self.output_format), json={"result": rows}, name=self.name)
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

    def search_config(self):
        """The subclass's own arguments."""
        return {}

    def get_config(self):
        return {
            **super().get_config(),
            "knowledge_base": self.knowledge_base,
            "language_model": self.query_generator.language_model,
            "table_name": self.table_name,
            "k": self.k,
            "output_format": self.output_format,
            **inner_generator_config(self.query_generator),
            "return_inputs": self.return_inputs,
            "return_query": self.return_query,
            **self.search_config(),
        }

    @classmethod
    def from_config(cls, config):
        return module_from_config(cls, config)
