"""`RegexSearch`: a language model writes a regular expression, the knowledge base finds the records it matches."""

from synalinks.knowledge_bases.knowledge_base_error import KnowledgeBaseError
from synalinks.modules.retrievers.knowledge_search import KnowledgeSearch
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.sample_failures import report_failure


@register_synalinks_serializable(package="synalinks")
class RegexSearch(KnowledgeSearch):
    """Regular-expression search on one table: the model writes
    `regex_search` (one pattern); `KnowledgeBase.regex_search` returns up to
    `k` records with a string field it matches. A pattern that does not
    compile gives an empty result (logged), not a failed sample.

    Args:
        fields: The fields to match (default: every string field).
        case_sensitive: False to ignore case.
        **kwargs: The `KnowledgeSearch` arguments (see `SimilaritySearch`).

    Example:

    ```python
    found = await synalinks.RegexSearch(
        knowledge_base=knowledge_base, language_model=lm, data_model=Document, case_sensitive=False
    )(inputs)
    ```
    """

    query_properties = {
        "regex_search": {
            "type": "string",
            "description": "A regular expression to match against the records' text fields",
        }
    }

    def __init__(self, *, fields=None, case_sensitive=True, **kwargs):
        self.fields = fields
        self.case_sensitive = case_sensitive
        super().__init__(**kwargs)

    async def search(self, query, table_name):
        pattern = query.get("regex_search") or ""
        try:
            return await self.knowledge_base.regex_search(
                pattern,
                table_name=table_name,
                fields=self.fields,
                case_sensitive=self.case_sensitive,
                k=self.k,
                output_format=self.output_format,
            )
        except KnowledgeBaseError as error:
            report_failure(self.name, error, "%s: %s", self.name, error)
            return [] if self.output_format == "json" else ""

    def search_config(self):
        return {"fields": self.fields, "case_sensitive": self.case_sensitive}
