"""`KnowledgeSearch`: the base of the retrievers (a Generator writes the queries, one knowledge base
search answers them)."""

from synalinks.modules.core.generator import Generator
from synalinks.modules.core.inner_generator import inner_generator_arguments
from synalinks.modules.knowledge.knowledge_lookup import KnowledgeLookup, result_schema

__all__ = ["KnowledgeSearch", "result_schema"]


class KnowledgeSearch(KnowledgeLookup):
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
        prompt_template, examples, instructions, seed_instructions, temperature, max_tokens, top_p, top_k, reasoning_effort, use_inputs_schema, use_outputs_schema: The query writer's `Generator` arguments.
        return_inputs: Put the input's fields first (default True).
        return_query: Put the search written next (default True).
        name, description, trainable: As for every module.
    """

    query_properties: dict[str, dict] = {}  # field -> JSON schema property, set by each subclass

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
        use_outputs_schema=None,
        return_inputs=True,
        return_query=True,
        name=None,
        description=None,
        trainable=True,
    ):
        super().__init__(
            knowledge_base=knowledge_base,
            k=k,
            output_format=output_format,
            return_inputs=return_inputs,
            return_query=return_query,
            name=name,
            description=description,
            trainable=trainable,
        )
        if schema is None and data_model is not None:
            schema = data_model.get_schema()
        self.table_name = table_name or (schema or {}).get("title")
        self.query_generator = Generator(
            **inner_generator_arguments(locals(), schema=self._query_schema(), name=f"{self.name}_query")
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

    async def find(self, query):
        return await self.search(query.get_json(), self.table_name or query.get("table_name"))

    def search_config(self):
        """The subclass's own arguments."""
        return {}

    def lookup_config(self):
        return {"table_name": self.table_name, "output_format": self.output_format, **self.search_config()}
