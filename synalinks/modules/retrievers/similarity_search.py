"""`SimilaritySearch`: a language model writes queries, the knowledge base finds the nearest records."""

from synalinks.modules.retrievers.knowledge_search import KnowledgeSearch
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class SimilaritySearch(KnowledgeSearch):
    """Vector similarity search on one table, the queries written by a language model.

    The model writes `similarity_search` (a list of queries describing what
    to find); `KnowledgeBase.similarity_search` returns the `k` nearest
    records of them all, each once, nearest first, each with its `score`
    (the distance).

    Args:
        threshold: The largest distance kept.
        ef_search: Passed to the knowledge base (kept for compatibility).
        **kwargs: The `KnowledgeSearch` arguments: knowledge_base,
            language_model, data_model / schema / table_name, k,
            output_format, the query writer's Generator arguments,
            return_inputs, return_query, name, description, trainable.

    Example:

    ```python
    inputs = synalinks.Input(data_model=Query)
    found = await synalinks.SimilaritySearch(
        knowledge_base=knowledge_base, language_model=lm, data_model=Document, k=5
    )(inputs)
    ```
    """

    query_properties = {
        "similarity_search": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Natural-language queries for vector similarity",
        }
    }

    def __init__(self, *, threshold=None, ef_search=None, **kwargs):
        self.threshold = threshold
        self.ef_search = ef_search
        super().__init__(**kwargs)

    async def search(self, query, table_name):
        queries = [text for text in query.get("similarity_search") or [] if text.strip()]
        if not queries:
            return [] if self.output_format == "json" else ""
        return await self.knowledge_base.similarity_search(
            queries,
            table_name=table_name,
            k=self.k,
            threshold=self.threshold,
            ef_search=self.ef_search,
            output_format=self.output_format,
        )

    def search_config(self):
        return {"threshold": self.threshold, "ef_search": self.ef_search}
