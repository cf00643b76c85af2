"""`KnowledgeSearch`: how a knowledge base finds records: similarity, full-text, regex and the
hybrid searches, with scores scaled and rankings fused."""

import asyncio
import re

from synalinks.knowledge_bases.database_adapter import TEXT_COLUMN, decode_row
from synalinks.knowledge_bases.knowledge_base_arguments import (
    as_list,
    check_search_arguments,
    check_texts,
    formatted,
)
from synalinks.knowledge_bases.knowledge_base_error import KnowledgeBaseError
from synalinks.knowledge_bases.rank_fusion import reciprocal_rank_fusion
from synalinks.utils.no_effect import warn_no_effect

EF_SEARCH_UNUSED = "vector search is exact below `index_threshold` rows and uses an IVF index above (no HNSW)"


class KnowledgeSearch:
    """The searching half of `KnowledgeBase` (a mixin: it uses the knowledge base's tables, engine and
    embedding model)."""

    async def _query_vectors(self, text_or_texts, vector_or_vectors):
        if vector_or_vectors is not None:
            vectors = vector_or_vectors if isinstance(vector_or_vectors[0], (list, tuple)) else [vector_or_vectors]
            self._check_dimension(vectors, "A query vector has")
            return [list(vector) for vector in vectors]
        if self.embedding_model is None:
            raise KnowledgeBaseError(
                "This search needs an `embedding_model` on the knowledge base (or `vector_or_vectors`)."
            )
        return await self._embed(as_list(text_or_texts))

    def _ranked(self, table_name, rows, score_column):
        """Rows as result dicts: the record's fields and its `score`."""
        _, schema, _ = self._table(table_name)
        return [{**decode_row(row, schema["properties"]), "score": row[score_column]} for row in rows]

    @staticmethod
    def _best_per_key(result_lists, key, k, higher_is_better):
        """Results of several queries in one list: each record once, with its best score, best first."""
        best = {}
        for results in result_lists:
            for result in results:
                kept = best.get(result[key])
                if kept is None or (result["score"] > kept["score"]) == higher_is_better:
                    best[result[key]] = result
        return sorted(best.values(), key=lambda result: -result["score"] if higher_is_better else result["score"])[:k]

    async def _similar(self, table_name, vectors, k, threshold):
        _, _, key = self._table(table_name)
        result_lists = []
        for vector in vectors:
            rows = await self._run(self._adapter.vector_search, table_name, vector, k)
            results = self._ranked(table_name, rows, "_distance")
            result_lists.append([r for r in results if threshold is None or r["score"] <= threshold])
        return self._best_per_key(result_lists, key, k, higher_is_better=False)

    async def _fulltext(self, table_name, texts, k, threshold, conjunctive):
        _, _, key = self._table(table_name)
        result_lists = []
        for text in texts:
            rows = await self._run(self._adapter.fulltext_search, table_name, text, k)
            if conjunctive:
                words = set(re.findall(r"\w+", text.lower()))
                rows = [row for row in rows if words <= set(re.findall(r"\w+", (row[TEXT_COLUMN] or "").lower()))]
            results = self._ranked(table_name, rows, "_score")
            top = max((r["score"] for r in results), default=0.0)
            bottom = min((r["score"] for r in results), default=0.0)
            for result in results:  # scaled to 0..1 (best 1), so thresholds mean the same on each engine
                result["score"] = (result["score"] - bottom) / (top - bottom) if top > bottom else 1.0
            result_lists.append([r for r in results if threshold is None or r["score"] >= threshold])
        return self._best_per_key(result_lists, key, k, higher_is_better=True)

    async def similarity_search(
        self,
        text_or_texts=None,
        *,
        table_name,
        vector_or_vectors=None,
        k=10,
        threshold=None,
        ef_search=None,
        output_format="json",
    ):
        """The `k` records nearest the query by embedding, nearest first.

        Args:
            text_or_texts: A query text, or several (their results merged: each record once, at its best).
            table_name: The table (its name or its data model).
            vector_or_vectors: Query vectors to use instead of embedding texts.
            k: The most records returned.
            threshold: The largest distance kept.
            ef_search: Accepted for compatibility (search depth of HNSW indexes, which are not used here).
            output_format: "json" (a list of dicts, each with its `score`, the distance) or "csv".
        """
        check_search_arguments(k, output_format, threshold=threshold)
        if ef_search is not None:
            warn_no_effect("KnowledgeBase.similarity_search", "ef_search", EF_SEARCH_UNUSED)
        await self._prepare()
        table_name, _, _ = self._table(table_name)
        vectors = await self._query_vectors(
            check_texts(text_or_texts, allow_none=vector_or_vectors is not None), vector_or_vectors
        )
        return formatted(await self._similar(table_name, vectors, k, threshold), output_format)

    async def fulltext_search(
        self,
        text_or_texts,
        *,
        table_name,
        k=10,
        threshold=None,
        conjunctive=False,
        bm25_b=None,
        bm25_k=None,
        output_format="json",
    ):
        """The `k` records whose text best matches the query's words (BM25), best first.

        Args:
            text_or_texts: A query text, or several (results merged).
            table_name: The table.
            k: The most records returned.
            threshold: The smallest score kept (scores are scaled to 0..1, best 1).
            conjunctive: Keep only records that contain every word of the query.
            bm25_b, bm25_k: Not tunable on these engines: must stay None.
            output_format: "json" or "csv".
        """
        if bm25_b is not None or bm25_k is not None:
            raise KnowledgeBaseError("BM25's b and k1 are fixed here (0.75, 1.2): leave bm25_b and bm25_k unset.")
        check_search_arguments(k, output_format, threshold=threshold)
        texts = as_list(check_texts(text_or_texts))
        await self._prepare()
        table_name, _, _ = self._table(table_name)
        return formatted(await self._fulltext(table_name, texts, k, threshold, conjunctive), output_format)

    async def regex_search(self, pattern, *, table_name, fields=None, case_sensitive=True, k=10, output_format="json"):
        """Up to `k` records with a string field matching a regular expression (RE2 syntax on DuckDB).

        Args:
            pattern: The regular expression.
            table_name: The table.
            fields: The fields to match (default: every string field).
            case_sensitive: False to ignore case.
            k: The most records returned.
            output_format: "json" or "csv".
        """
        check_search_arguments(k, output_format)
        if not isinstance(pattern, str):
            raise KnowledgeBaseError(f"`pattern` must be a regular expression string, got {type(pattern).__name__}.")
        if fields is not None and (
            not isinstance(fields, (list, tuple)) or not all(isinstance(f, str) for f in fields)
        ):
            raise KnowledgeBaseError(f"`fields` must be a list of field names or None, got {fields!r:.80}.")
        await self._prepare()
        table_name, schema, _ = self._table(table_name)
        fields = fields or [name for name, prop in schema["properties"].items() if prop.get("type") == "string"]
        self._check_fields(table_name, schema, fields, argument="fields")
        try:
            re.compile(pattern)
        except re.error as error:
            raise KnowledgeBaseError(f"{pattern!r} is not a regular expression: {error}.") from error
        rows = await self._run(self._adapter.regex_search, table_name, pattern, fields, case_sensitive, k)
        for row in rows:
            row["_score"] = 1.0
        return formatted(self._ranked(table_name, rows, "_score"), output_format)

    async def hybrid_fts_search(
        self,
        text_or_texts=None,
        *,
        keywords=None,
        table_name,
        vector_or_vectors=None,
        k=10,
        k_rank=60,
        similarity_threshold=None,
        fulltext_threshold=None,
        ef_search=None,
        conjunctive=False,
        bm25_b=None,
        bm25_k=None,
        output_format="json",
    ):
        """Similarity and full-text search together, fused by reciprocal rank (each side fetches `2 * k`).

        Args:
            text_or_texts: The query (or queries) for both sides.
            keywords: Other queries for the full-text side (default: `text_or_texts`).
            table_name: The table.
            vector_or_vectors: Query vectors for the similarity side.
            k: The most records returned.
            k_rank: The fusion's smoothing constant.
            similarity_threshold, fulltext_threshold: Each side's threshold.
            ef_search, conjunctive, bm25_b, bm25_k: As for each side's search.
            output_format: "json" or "csv".
        """
        if bm25_b is not None or bm25_k is not None:
            raise KnowledgeBaseError("BM25's b and k1 are fixed here (0.75, 1.2): leave bm25_b and bm25_k unset.")
        check_search_arguments(k, output_format)
        if ef_search is not None:
            warn_no_effect("KnowledgeBase.hybrid_fts_search", "ef_search", EF_SEARCH_UNUSED)
        await self._prepare()
        table_name, _, key = self._table(table_name)
        texts = as_list(keywords if keywords is not None else text_or_texts)
        if vector_or_vectors is None and self.embedding_model is None:
            raise KnowledgeBaseError("hybrid_fts_search needs an `embedding_model` on the knowledge base.")
        vectors = await self._query_vectors(text_or_texts, vector_or_vectors)
        similar, matching = await asyncio.gather(
            self._similar(table_name, vectors, 2 * k, similarity_threshold),
            self._fulltext(table_name, texts, 2 * k, fulltext_threshold, conjunctive),
        )
        return formatted(self._fused([similar, matching], key, k, k_rank), output_format)

    @staticmethod
    def _fused(result_lists, key, k, k_rank):
        return [
            {**result, "score": score}
            for result, score in reciprocal_rank_fusion(result_lists, lambda row: row[key], k_rank=k_rank, k=k)
        ]

    async def hybrid_search(self, *args, **kwargs):
        """Another name of `hybrid_fts_search`."""
        return await self.hybrid_fts_search(*args, **kwargs)

    async def hybrid_regex_search(
        self,
        text_or_texts=None,
        *,
        pattern_or_patterns=None,
        table_name,
        vector_or_vectors=None,
        k=10,
        k_rank=60,
        similarity_threshold=None,
        ef_search=None,
        fields=None,
        case_sensitive=True,
        output_format="json",
    ):
        """Similarity search and regular expressions together, fused by reciprocal rank (similarity
        alone without a pattern)."""
        check_search_arguments(k, output_format)
        if ef_search is not None:
            warn_no_effect("KnowledgeBase.hybrid_regex_search", "ef_search", EF_SEARCH_UNUSED)
        await self._prepare()
        table_name, _, key = self._table(table_name)
        vectors = await self._query_vectors(text_or_texts, vector_or_vectors)
        result_lists = [await self._similar(table_name, vectors, 2 * k, similarity_threshold)]
        for pattern in as_list(pattern_or_patterns) if pattern_or_patterns is not None else []:
            result_lists.append(
                await self.regex_search(
                    pattern, table_name=table_name, fields=fields, case_sensitive=case_sensitive, k=2 * k
                )
            )
        return formatted(self._fused(result_lists, key, k, k_rank), output_format)
