"""`VectorRAGAgent`: an agent that searches a knowledge base as many times as it needs, then answers."""

from synalinks.modules.agents.function_calling_agent import FunctionCallingAgent
from synalinks.modules.agents.sql_agent import ANSWER_SCHEMA
from synalinks.modules.core.tool import Tool
from synalinks.saving.object_registry import register_synalinks_serializable

SEARCH_METHODS = {"similarity": "similarity_search", "fulltext": "fulltext_search", "hybrid_fts": "hybrid_fts_search"}


def default_rag_instructions(tables, search_type):
    return (
        f"You answer questions from a knowledge base with these tables: {', '.join(tables)}. "
        f"Call search_knowledge ({search_type} search) with a short query for each thing you need to know, "
        "refine the query when the results miss, then answer from what you found, and say so when nothing answers."
    )


def search_tool(knowledge_base, search_type, k, output_format, thresholds):
    """The agent's search tool, bound to a knowledge base."""
    method = getattr(knowledge_base, SEARCH_METHODS[search_type])

    async def search_knowledge(query: str, table_name: str = ""):
        """Searches the knowledge base and returns the best records.

        Args:
            query: What to look for.
            table_name: The table to search (default: the first table).
        """
        tables = knowledge_base.table_names()
        table_name = table_name or tables[0]
        if table_name not in tables:
            return {"error": f"There is no table {table_name!r}; the tables are {tables}."}
        return await method(query, table_name=table_name, k=k, output_format=output_format, **thresholds)

    return Tool(search_knowledge)


@register_synalinks_serializable(package="synalinks")
class VectorRAGAgent(FunctionCallingAgent):
    """A `FunctionCallingAgent` with a `search_knowledge` tool over a knowledge
    base: it writes its own queries, reads the results, searches again when
    they miss, then answers.

    Args:
        knowledge_base: The `KnowledgeBase`.
        search_type: "similarity", "fulltext" or "hybrid_fts" (default; "hybrid" too).
        k: The most records per search (5).
        similarity_threshold, fulltext_threshold: The searches' thresholds.
        output_format: How records reach the model: "csv" (default) or "json".
        tools: More tools beside the search.
        schema, data_model: The answer's shape (default `{"answer": str}`).
        instructions: What to do (default: search, refine, answer).
        **kwargs: The `FunctionCallingAgent` arguments (language_model,
            max_iterations, return_inputs_with_trajectory, autonomous, ...).

    Example:

    ```python
    agent = synalinks.VectorRAGAgent(knowledge_base=knowledge_base, language_model=lm, data_model=Answer, k=3)
    answer = await agent(Question(question="What does the retry policy do?"))
    ```
    """

    def __init__(
        self,
        *,
        knowledge_base=None,
        search_type="hybrid_fts",
        k=5,
        similarity_threshold=None,
        fulltext_threshold=None,
        output_format="csv",
        tools=None,
        schema=None,
        data_model=None,
        instructions=None,
        **kwargs,
    ):
        if knowledge_base is None:
            raise ValueError("VectorRAGAgent needs a `knowledge_base` to search.")
        search_type = {"hybrid": "hybrid_fts"}.get(search_type, search_type)
        if search_type not in SEARCH_METHODS:
            raise ValueError(
                f"`search_type` must be one of {sorted(SEARCH_METHODS)} (or 'hybrid'), got {search_type!r}."
            )
        self.knowledge_base = knowledge_base
        self.search_type = search_type
        self.k = k
        self.similarity_threshold = similarity_threshold
        self.fulltext_threshold = fulltext_threshold
        self.output_format = output_format
        self.extra_tools = list(tools or [])
        thresholds = {
            "similarity": {"threshold": similarity_threshold},
            "fulltext": {"threshold": fulltext_threshold},
            "hybrid_fts": {"similarity_threshold": similarity_threshold, "fulltext_threshold": fulltext_threshold},
        }[search_type]
        super().__init__(
            schema=schema if schema is not None or data_model is not None else ANSWER_SCHEMA,
            data_model=data_model,
            tools=[search_tool(knowledge_base, search_type, k, output_format, thresholds)] + self.extra_tools,
            instructions=instructions or default_rag_instructions(knowledge_base.table_names(), search_type),
            **kwargs,
        )

    def get_config(self):
        config = super().get_config()
        config.pop("tools")
        return {
            **config,
            "knowledge_base": self.knowledge_base,
            "search_type": self.search_type,
            "k": self.k,
            "similarity_threshold": self.similarity_threshold,
            "fulltext_threshold": self.fulltext_threshold,
            "output_format": self.output_format,
            "tools": self.extra_tools,
        }
