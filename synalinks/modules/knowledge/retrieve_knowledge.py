"""`RetrieveKnowledge`: the language model writes search queries, the knowledge base answers them."""

import json
import logging

from synalinks.modules.core.generator import Generator
from synalinks.modules.core.inner_generator import inner_generator_arguments
from synalinks.modules.knowledge.knowledge_lookup import KnowledgeLookup
from synalinks.saving.object_registry import register_synalinks_serializable

logger = logging.getLogger("synalinks")

SEARCH_TYPES = ("similarity", "fulltext", "hybrid_fts")
_SEARCH_TYPE_ALIASES = {"hybrid": "hybrid_fts"}


MAX_QUERIES = 3


def search_query_schema(tables):
    """What the language model writes: the tables to search (among `tables`, each once; asked only when
    there are several) and at most `MAX_QUERIES` queries. The bounds keep a small model from repeating
    an item until it runs out of tokens."""
    schema = {
        "title": "SearchQuery",
        "type": "object",
        "properties": {
            "tables": {
                "type": "array",
                "items": {"type": "string", "enum": list(tables)},
                "minItems": 1,
                "maxItems": len(tables),
                "uniqueItems": True,
                "description": "The tables to look up",
            },
            "search": {
                "type": "array",
                "items": {"type": "string"},
                "minItems": 1,
                "maxItems": MAX_QUERIES,
                "description": "The search queries",
            },
        },
        "required": ["tables", "search"],
    }
    if len(tables) == 1:
        del schema["properties"]["tables"]
        schema["required"] = ["search"]
    return schema


def default_retriever_instructions(tables, search_type):
    kind = "the words the records contain" if search_type == "fulltext" else "what the records are about"
    if len(tables) == 1:
        return f"Write short search queries (one per thing to look up) that describe {kind}."
    return (
        f"Find the information the input needs among these tables: {', '.join(tables)}. Choose the tables, "
        f"then write short search queries (one per thing to look up) that describe {kind}."
    )


@register_synalinks_serializable(package="synalinks")
class RetrieveKnowledge(KnowledgeLookup):
    """Looks up a knowledge base for what its input needs.

    A `Generator` (trainable: its instructions and examples are variables)
    writes `{"tables": [...], "search": [...]}` from the input; each query
    is run on each chosen table with the knowledge base's search
    (`search_type`); the records found (at most `k`, first found first, no
    duplicate) are the output's `result`, after the input's fields
    (`return_inputs`) and the query (`return_query`).

    Args:
        knowledge_base: The `KnowledgeBase`.
        language_model: The model that writes the queries.
        data_models: The tables that may be searched (default: all of the knowledge base's).
        search_type: "similarity", "fulltext" or "hybrid_fts" (default; "hybrid" too).
        k: The most records returned.
        similarity_threshold: The largest vector distance kept (similarity search).
        fulltext_threshold: The smallest BM25 score kept (full-text search).
        prompt_template, examples, instructions, seed_instructions, temperature, max_tokens, top_p, top_k, reasoning_effort, use_inputs_schema, use_outputs_schema: The query writer's `Generator` arguments.
        return_inputs: Put the input's fields first (default True).
        return_query: Put the query's `tables` and `search` next (default True).
        name, description, trainable: As for every module.

    Example:

    ```python
    inputs = synalinks.Input(data_model=Query)
    retrieved = await synalinks.RetrieveKnowledge(knowledge_base=knowledge_base, language_model=lm, k=3)(inputs)
    answer = await synalinks.Generator(data_model=Answer, language_model=lm)(retrieved)
    ```
    """

    def __init__(
        self,
        knowledge_base=None,
        language_model=None,
        data_models=None,
        search_type="hybrid_fts",
        k=10,
        similarity_threshold=None,
        fulltext_threshold=None,
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
            return_inputs=return_inputs,
            return_query=return_query,
            name=name,
            description=description,
            trainable=trainable,
        )
        search_type = _SEARCH_TYPE_ALIASES.get(search_type, search_type)
        if search_type not in SEARCH_TYPES:
            raise ValueError(f"`search_type` must be one of {SEARCH_TYPES} (or 'hybrid'), got {search_type!r}.")
        tables = [knowledge_base._table_name(data_model) for data_model in data_models] if data_models else None
        self.tables = tables or knowledge_base.table_names()
        self.search_type = search_type
        self.similarity_threshold = similarity_threshold
        self.fulltext_threshold = fulltext_threshold
        self.query_generator = Generator(
            **inner_generator_arguments(
                locals(),
                schema=search_query_schema(self.tables),
                instructions=instructions or default_retriever_instructions(self.tables, search_type),
                name=f"{self.name}_query",
            )
        )

    async def _search(self, table, queries):
        knowledge_base = self.knowledge_base
        if self.search_type == "similarity":
            return await knowledge_base.similarity_search(
                queries, table_name=table, k=self.k, threshold=self.similarity_threshold
            )
        if self.search_type == "fulltext":
            return await knowledge_base.fulltext_search(
                queries, table_name=table, k=self.k, threshold=self.fulltext_threshold
            )
        return await knowledge_base.hybrid_fts_search(
            queries,
            table_name=table,
            k=self.k,
            similarity_threshold=self.similarity_threshold,
            fulltext_threshold=self.fulltext_threshold,
        )

    @property
    def query_writer(self):
        """The `Generator` that writes the queries (`query_generator`)."""
        return self.query_generator

    async def find(self, query):
        found, seen = [], set()
        queries = [text for text in query.get("search") or [] if text.strip()]
        tables = query.get("tables") if len(self.tables) > 1 else self.tables
        for table in tables if queries else []:
            for record in await self._search(table, queries):
                record = {name: value for name, value in record.items() if name != "score"}
                signature = json.dumps(record, sort_keys=True, default=str)
                if signature not in seen:
                    seen.add(signature)
                    found.append(record)
        return found[: self.k]

    def lookup_config(self):
        return {
            "data_models": [self.knowledge_base.get_schemas()[table] for table in self.tables],
            "search_type": self.search_type,
            "similarity_threshold": self.similarity_threshold,
            "fulltext_threshold": self.fulltext_threshold,
        }
