"""`HybridFTSSearch`: similarity and full-text search together, fused by reciprocal rank."""

from synalinks.modules.retrievers.knowledge_search import KnowledgeSearch
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class HybridFTSSearch(KnowledgeSearch):
    """Hybrid search on one table: the model writes `similarity_search`
    queries (and, optionally, other `keywords` for the full-text side);
    `KnowledgeBase.hybrid_fts_search` fuses both rankings by reciprocal rank.
    `synalinks.HybridSearch` is the same class.

    Args:
        k_rank: The fusion's smoothing constant (60).
        similarity_threshold: The largest distance kept on the similarity side.
        fulltext_threshold: The smallest score kept on the full-text side.
        **kwargs: The `KnowledgeSearch` arguments (see `SimilaritySearch`).

    Example:

    ```python
    found = await synalinks.HybridFTSSearch(
        knowledge_base=knowledge_base, language_model=lm, data_model=Document, k=5
    )(inputs)
    ```
    """

    query_properties = {
        "similarity_search": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Natural-language queries for the vector side",
        },
        "keywords": {
            "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}],
            "default": None,
            "description": "Optional keyword queries for the full-text side",
        },
    }

    def __init__(self, *, k_rank=60, similarity_threshold=None, fulltext_threshold=None, **kwargs):
        self.k_rank = k_rank
        self.similarity_threshold = similarity_threshold
        self.fulltext_threshold = fulltext_threshold
        super().__init__(**kwargs)

    async def search(self, query, table_name):
        queries = [text for text in query.get("similarity_search") or [] if text.strip()]
        keywords = [text for text in query.get("keywords") or [] if text.strip()] or None
        if not queries:
            return [] if self.output_format == "json" else ""
        return await self.knowledge_base.hybrid_fts_search(
            queries,
            keywords=keywords,
            table_name=table_name,
            k=self.k,
            k_rank=self.k_rank,
            similarity_threshold=self.similarity_threshold,
            fulltext_threshold=self.fulltext_threshold,
            output_format=self.output_format,
        )

    def search_config(self):
        return {
            "k_rank": self.k_rank,
            "similarity_threshold": self.similarity_threshold,
            "fulltext_threshold": self.fulltext_threshold,
        }


HybridSearch = HybridFTSSearch
