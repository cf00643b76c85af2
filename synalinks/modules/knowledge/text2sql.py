"""`Text2SQL`: a language model writes one read-only SQL query from a request; the knowledge base runs it."""

from synalinks.data_models.concatenation import concatenate_schemas
from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.knowledge_bases.knowledge_base_error import KnowledgeBaseError
from synalinks.knowledge_bases.read_only_sql import check_read_only
from synalinks.modules.core.generator import Generator
from synalinks.modules.core.inner_generator import inner_generator_arguments, inner_generator_config
from synalinks.modules.module import Module
from synalinks.saving.module_config import module_from_config
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.checks import check_positive_int

DATABASE_SCHEMA = {
    "title": "DatabaseSchema",
    "type": "object",
    "properties": {"database_schema": {"type": "string", "description": "The available tables and their columns"}},
    "required": ["database_schema"],
}
SQL_QUERY = {
    "title": "SQLQuery",
    "type": "object",
    "properties": {"sql_query": {"type": "string", "description": "A single read-only SELECT SQL query"}},
    "required": ["sql_query"],
}
SQL_QUERY_RESULT = {
    "title": "SQLQueryResult",
    "type": "object",
    "properties": {
        "sql_query": {"type": "string", "description": "The SQL query that was run"},
        "result": {"description": "The rows it returned (or an error)"},
    },
    "required": ["sql_query", "result"],
}
DEFAULT_INSTRUCTIONS = (
    "Translate the request into one read-only SQL SELECT query over the tables of `database_schema`. "
    "Use only the tables and columns listed there, as they are spelled. Add a LIMIT when a few rows are asked for. "
    "Statements that write, and several statements, are refused."
)


def database_schema_text(knowledge_base):
    """The knowledge base's tables and columns (type and description), as text for a model to read."""
    sections = []
    for table_name, schema in knowledge_base.get_schemas().items():
        columns = [
            f"  - {column} ({prop.get('type', 'json')}): {prop.get('description', '')}".rstrip(": ")
            for column, prop in schema.get("properties", {}).items()
        ]
        sections.append(f"Table: {table_name}\n" + "\n".join(columns))
    return "\n\n".join(sections)


async def capped_query(knowledge_base, sql_query, k, output_format):
    """Runs a read-only query with at most `k` rows (an outer LIMIT); an error is returned as `{"error": ...}`."""
    statement = sql_query.strip().rstrip(";").strip()
    if not statement:
        return {"error": "The SQL query is empty: write one SELECT query."}
    try:
        check_read_only(statement)
        if k is not None:
            statement = f"SELECT * FROM ({statement}) LIMIT {int(k)}"
        return await knowledge_base.sql(statement, read_only=True, output_format=output_format)
    except KnowledgeBaseError as error:
        return {"error": str(error)}


@register_synalinks_serializable(package="synalinks")
class Text2SQL(Module):
    """Answers a request with the rows of one SQL query that a language model writes.

    The model sees the input with the knowledge base's tables and columns
    (`database_schema`) and writes `sql_query`; the query must be one
    `SELECT` (anything that writes is refused before it runs) and returns
    at most `k` rows. The output is `{"sql_query", "result"}`, where
    `result` is the rows (or `{"error": ...}` when the query was refused or
    failed, so the sample still flows on). Its instructions and examples
    are trainable.

    Args:
        knowledge_base: The `KnowledgeBase`.
        language_model: The model that writes the SQL.
        k: The most rows returned (None: no cap).
        output_format: "json" (a list of dicts) or "csv".
        prompt_template, examples, instructions, seed_instructions, temperature, max_tokens, top_p, top_k, reasoning_effort, use_inputs_schema, use_outputs_schema: The SQL writer's `Generator` arguments.
        return_inputs: Put the input's fields first (default False).
        name, description, trainable: As for every module.

    Example:

    ```python
    inputs = synalinks.Input(data_model=Question)
    rows = await synalinks.Text2SQL(knowledge_base=knowledge_base, language_model=lm, k=20)(inputs)
    ```
    """

    def __init__(
        self,
        *,
        knowledge_base=None,
        language_model=None,
        k=50,
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
        return_inputs=False,
        name=None,
        description=None,
        trainable=True,
    ):
        super().__init__(name=name, description=description, trainable=trainable)
        if knowledge_base is None:
            raise ValueError(f"{self.name}: Text2SQL needs a `knowledge_base`.")
        if output_format not in ("json", "csv"):
            raise ValueError(f"`output_format` must be 'json' or 'csv', got {output_format!r}.")
        self.knowledge_base = knowledge_base
        self.k = check_positive_int(k, "k", allow_none=True)
        self.output_format = output_format
        self.return_inputs = return_inputs
        self.generator = Generator(
            **inner_generator_arguments(
                locals(), schema=SQL_QUERY, instructions=instructions or DEFAULT_INSTRUCTIONS, name=f"{self.name}_sql"
            )
        )

    async def call(self, inputs, training=False):
        if inputs is None:
            return None
        database_schema = JsonDataModel(
            schema=DATABASE_SCHEMA, json={"database_schema": database_schema_text(self.knowledge_base)}
        )
        query = await self.generator(inputs + database_schema, training=training)
        if query is None:
            return None
        sql_query = query.get("sql_query") or ""
        result = await capped_query(self.knowledge_base, sql_query, self.k, self.output_format)
        output = JsonDataModel(schema=SQL_QUERY_RESULT, json={"sql_query": sql_query, "result": result}, name=self.name)
        return inputs + output if self.return_inputs else output

    def compute_output_spec(self, inputs):
        schema = concatenate_schemas(inputs.get_schema(), SQL_QUERY_RESULT) if self.return_inputs else SQL_QUERY_RESULT
        return SymbolicDataModel(schema=schema, name=self.name)

    def get_config(self):
        return {
            **super().get_config(),
            "knowledge_base": self.knowledge_base,
            "language_model": self.generator.language_model,
            "k": self.k,
            "output_format": self.output_format,
            **inner_generator_config(self.generator),
            "return_inputs": self.return_inputs,
        }

    @classmethod
    def from_config(cls, config):
        return module_from_config(cls, config)
