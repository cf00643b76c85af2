"""`FullTextSearch`: a language model writes keyword queries, the knowledge base ranks records by BM25."""

from synalinks.modules.retrievers.knowledge_search import KnowledgeSearch
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class FullTextSearch(KnowledgeSearch):
    """BM25 full-text search on one table, the keyword queries written by a language model.

    The model writes `fulltext_search` (a list of keyword queries);
    `KnowledgeBase.fulltext_search` returns the `k` best records of them all,
    each once, best first, each with its `score` (scaled to 0..1).

    Args:
        threshold: The smallest score kept.
        conjunctive: Keep only records with every word of a query.
        **kwargs: The `KnowledgeSearch` arguments (see `SimilaritySearch`).

    Example:

    ```python
    found = await synalinks.FullTextSearch(
        knowledge_base=knowledge_base, language_model=lm, data_model=Document, k=5
    )(inputs)
    ```
    """

    query_properties = {
        "fulltext_search": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Keyword queries for BM25 full-text search",
        }
    }

    def __init__(self, *, threshold=None, conjunctive=False, **kwargs):
        self.threshold = threshold
        self.conjunctive = conjunctive
        super().__init__(**kwargs)

    async def search(self, query, table_name):
        queries = [text for text in query.get("fulltext_search") or [] if text.strip()]
        if not queries:
            return [] if self.output_format == "json" else ""
        return await self.knowledge_base.fulltext_search(
            queries,
            table_name=table_name,
            k=self.k,
            threshold=self.threshold,
            conjunctive=self.conjunctive,
            output_format=self.output_format,
        )

    def search_config(self):
        return {"threshold": self.threshold, "conjunctive": self.conjunctive}
