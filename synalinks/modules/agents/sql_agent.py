"""`SQLAgent`: an agent that answers from a knowledge base's tables with read-only SQL."""

from synalinks.modules.agents.function_calling_agent import FunctionCallingAgent
from synalinks.modules.core.tool import Tool
from synalinks.modules.knowledge.text2sql import capped_query, database_schema_text
from synalinks.saving.object_registry import register_synalinks_serializable

ANSWER_SCHEMA = {
    "title": "Answer",
    "type": "object",
    "properties": {"answer": {"type": "string", "description": "The answer"}},
    "required": ["answer"],
}


def default_sql_instructions(tables):
    return (
        f"You answer questions with read-only SQL over these tables: {', '.join(tables)}. "
        "Call get_database_schema to learn the columns, get_table_sample to see a few rows, then run_sql_query "
        "with one SELECT query (read the error and fix the query if it fails). Only SELECT is accepted; "
        "results are capped, so filter or aggregate rather than reading whole tables."
    )


def sql_tools(knowledge_base, k, output_format):
    """The agent's three tools, bound to a knowledge base."""

    async def get_database_schema():
        """The tables of the database with their columns (type and description)."""
        return {"schema": database_schema_text(knowledge_base)}

    async def get_table_sample(table_name: str, limit: int = 5, offset: int = 0):
        """A few rows of a table, to see what its values look like.

        Args:
            table_name: The table's name, as the schema spells it.
            limit: How many rows (capped by the agent).
            offset: How many rows to skip.
        """
        if table_name not in knowledge_base.table_names():
            return {"error": f"There is no table {table_name!r}; the tables are {knowledge_base.table_names()}."}
        limit = max(1, min(limit, k))
        return await capped_query(
            knowledge_base, f'SELECT * FROM "{table_name}" LIMIT {limit} OFFSET {max(0, offset)}', k, output_format
        )

    async def run_sql_query(sql_query: str):
        """Runs one read-only SELECT query and returns its rows (at most the agent's `k`).

        Args:
            sql_query: The SELECT query.
        """
        return await capped_query(knowledge_base, sql_query, k, output_format)

    return [Tool(get_database_schema), Tool(get_table_sample), Tool(run_sql_query)]


@register_synalinks_serializable(package="synalinks")
class SQLAgent(FunctionCallingAgent):
    """A `FunctionCallingAgent` whose tools read a knowledge base with SQL:
    `get_database_schema`, `get_table_sample` and `run_sql_query`. Every
    query is checked read-only by DuckDB's parser before it runs (a
    statement that writes comes back as an error the model reads) and
    returns at most `k` rows.

    Args:
        knowledge_base: The `KnowledgeBase`.
        k: The most rows a tool returns (50).
        output_format: How rows reach the model: "csv" (default, fewer tokens) or "json".
        tools: More tools beside the SQL ones.
        schema, data_model: The answer's shape (default `{"answer": str}`).
        instructions: What to do (default: a plan for using the tools).
        **kwargs: The `FunctionCallingAgent` arguments (language_model,
            max_iterations, return_inputs_with_trajectory, autonomous, ...).

    Example:

    ```python
    agent = synalinks.SQLAgent(knowledge_base=knowledge_base, language_model=lm, data_model=Answer)
    answer = await agent(Question(question="How many orders were shipped in May?"))
    ```
    """

    def __init__(
        self,
        *,
        knowledge_base=None,
        k=50,
        output_format="csv",
        tools=None,
        schema=None,
        data_model=None,
        instructions=None,
        **kwargs,
    ):
        if knowledge_base is None:
            raise ValueError("SQLAgent needs a `knowledge_base` to query.")
        if output_format not in ("csv", "json"):
            raise ValueError(f"`output_format` must be 'csv' or 'json', got {output_format!r}.")
        self.knowledge_base = knowledge_base
        self.k = k
        self.output_format = output_format
        self.extra_tools = list(tools or [])
        super().__init__(
            schema=schema if schema is not None or data_model is not None else ANSWER_SCHEMA,
            data_model=data_model,
            tools=sql_tools(knowledge_base, k, output_format) + self.extra_tools,
            instructions=instructions or default_sql_instructions(knowledge_base.table_names()),
            **kwargs,
        )

    def get_config(self):
        config = super().get_config()
        config.pop("tools")
        return {
            **config,
            "knowledge_base": self.knowledge_base,
            "k": self.k,
            "output_format": self.output_format,
            "tools": self.extra_tools,
        }
