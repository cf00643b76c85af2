"""`KnowledgeBase`: records of data models stored in tables, with exact, vector, full-text and hybrid search."""

import asyncio
import os

from synalinks.data_models.json_data_model import JsonDataModel, to_json_data_model
from synalinks.knowledge_bases.lancedb_store import LanceDBStore, decode_row, encode_row, quote
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.home import synalinks_home


class KnowledgeBaseError(ValueError):
    """A knowledge base call was given something it cannot store or find: says what and what to do."""


def record_text(value, key):
    """The text of a record that is embedded and indexed: its string fields but the key, one per line."""
    return "\n".join(str(item) for name, item in value.items() if name != key and isinstance(item, str))


@register_synalinks_serializable(package="synalinks")
class KnowledgeBase:
    """Stores records of data models, one table per data model, and finds them again.

    The primary key of a table is the first declared field of its data
    model: `update` inserts new keys and replaces the records whose key is
    there already, so ingesting the same records again changes nothing. Each
    record's text (its string fields but the key) is indexed for full-text
    search and, with an `embedding_model`, embedded for similarity search;
    `hybrid_search` fuses both by reciprocal rank. Tables are named after
    their data models (`Document` for `class Document(synalinks.DataModel)`).

    The engine is LanceDB, embedded: the knowledge base is a folder, works
    offline, and each `update` is one atomic commit (a crash leaves every
    record either in or not).

    Args:
        uri: The folder (or `lancedb://folder`); by default
            `<synalinks home>/knowledge/<name>`.
        data_models: The `DataModel` classes whose records it stores (or their
            JSON schemas, each with a `title` naming its table).
        embedding_model: An `EmbeddingModel` (e.g. the embedded
            `EmbeddingModel(model="local/minilm")`), for similarity and hybrid search.
        metric: The vector distance: "cosine" (default), "l2" or "dot".
        wipe_on_start: Drop the tables of `data_models` first.
        name: The knowledge base's name.

    Example:

    ```python
    class Document(synalinks.DataModel):
        id: str
        text: str

    knowledge_base = synalinks.KnowledgeBase(
        uri="/tmp/kb", data_models=[Document], embedding_model=synalinks.EmbeddingModel(model="local/minilm")
    )
    await knowledge_base.update([Document(id="1", text="Cats sleep a lot.")])
    found = await knowledge_base.similarity_search("a napping kitten", table_name="Document", k=3)
    ```
    """

    def __init__(
        self,
        uri=None,
        data_models=None,
        embedding_model=None,
        metric="cosine",
        wipe_on_start=False,
        name=None,
    ):
        if metric not in ("cosine", "l2", "dot"):
            raise ValueError(f"`metric` must be 'cosine', 'l2' or 'dot', got {metric!r}.")
        self.name = name or "knowledge_base"
        uri = os.fspath(uri) if uri is not None else os.path.join(synalinks_home(), "knowledge", self.name)
        if uri.startswith("duckdb://"):
            raise KnowledgeBaseError(
                f"{uri}: the DuckDB engine is not in synalinks yet; give a folder path for the embedded "
                "LanceDB engine (uri='/path/to/folder')."
            )
        self.uri = uri
        self.metric = metric
        self.embedding_model = embedding_model
        self.wipe_on_start = wipe_on_start
        self.data_models = list(data_models or [])
        self._schemas = {}
        self._store = LanceDBStore(uri, metric=metric)
        self._dimension = None
        self._ready = False

    # Tables

    @staticmethod
    def _table_name(data_model):
        """A table is named after its data model: the class name, or a schema's title."""
        if isinstance(data_model, type):
            return data_model.__name__
        schema = data_model if isinstance(data_model, dict) else data_model.get_schema()
        if not schema.get("title"):
            raise KnowledgeBaseError("A data model given as a schema needs a `title`: it names its table.")
        return schema["title"]

    def _register(self, data_model):
        schema = data_model if isinstance(data_model, dict) else data_model.get_schema()
        name = self._table_name(data_model)
        if not schema.get("properties"):
            raise KnowledgeBaseError(f"{name} has no field: a record needs at least its key.")
        self._schemas[name] = schema
        return schema

    async def _prepare(self):
        """Creates the tables (once): the embedding dimension is read from one embedding."""
        if self._ready:
            return
        if self.embedding_model is not None:
            self._dimension = len((await self.embedding_model(["dimension probe"]))[0])
        for data_model in self.data_models:
            schema = self._register(data_model)
            name = self._table_name(data_model)
            if self.wipe_on_start and name in self._store.table_names():
                self._store.drop_table(name)
            self._store.create_table(name, schema["properties"], self._dimension)
        self._ready = True

    def _table(self, table_name):
        if table_name not in self._schemas:
            raise KnowledgeBaseError(
                f"The knowledge base has no table {table_name!r}; its tables are {sorted(self._schemas)}."
            )
        schema = self._schemas[table_name]
        return schema, next(iter(schema["properties"]))

    # Writing

    async def update(self, data_model_or_data_models, verbose="auto"):
        """Inserts records, or replaces those whose key is already stored (one commit per table).

        Args:
            data_model_or_data_models: A record (a `DataModel` instance or a
                `JsonDataModel`), a list of them, or an inputs-only
                `synalinks.datasets.Dataset` (e.g. `JSONLDataset(...)`), read a
                batch at a time so a corpus larger than memory streams in.
            verbose: For a Dataset: 1 prints the records written so far after
                each batch ("auto": 1 for a Dataset, else silent), 0 nothing.

        Returns:
            The keys of the records written, in order (one key for one
            record); for a Dataset, the number of records written.

        Raises:
            KnowledgeBaseError: for a record of another data model, or whose
                embedding has another dimension (nothing of that batch is
                written), or a Dataset with targets.
        """
        from synalinks.datasets.dataset import Dataset

        if isinstance(data_model_or_data_models, Dataset):
            return await self._update_from_dataset(data_model_or_data_models, verbose)
        await self._prepare()
        single = not isinstance(data_model_or_data_models, (list, tuple))
        records = [data_model_or_data_models] if single else list(data_model_or_data_models)
        grouped, keys = {}, []
        for record in records:
            table_name = self._table_of(record)
            schema, key = self._table(table_name)
            value = to_json_data_model(record).get_json()
            if value.get(key) is None:
                raise KnowledgeBaseError(f"A {table_name} record has no `{key}` (its key, the first field).")
            grouped.setdefault(table_name, []).append(value)
            keys.append(value[key])
        rows = {}
        for table_name, values in grouped.items():
            schema, key = self._table(table_name)
            texts = [record_text(value, key) for value in values]
            vectors = await self._embed(texts) if self.embedding_model is not None else [None] * len(texts)
            rows[table_name] = [
                encode_row(value, schema["properties"], text, vector)
                for value, text, vector in zip(values, texts, vectors)
            ]
        for table_name, table_rows in rows.items():
            _, key = self._table(table_name)
            await asyncio.to_thread(self._store.upsert, table_name, key, table_rows)
        return keys[0] if single else keys

    async def _update_from_dataset(self, dataset, verbose):
        import sys

        if dataset.has_targets:
            raise KnowledgeBaseError(
                "A knowledge base stores records, not (input, target) pairs: give a dataset without outputs."
            )
        written = 0
        for (batch,) in dataset:
            await self.update(list(batch))
            written += len(batch)
            if verbose in ("auto", 1, 2):
                print(f"\r{self.name}: {written} records written", end="", file=sys.stderr, flush=True)
        if verbose in ("auto", 1, 2) and written:
            print(file=sys.stderr)
        return written

    def _table_of(self, record):
        if hasattr(type(record), "model_fields"):
            name = type(record).__name__
        else:
            name = (to_json_data_model(record).get_schema() or {}).get("title")
        if name not in self._schemas:
            raise KnowledgeBaseError(
                f"The knowledge base stores {sorted(self._schemas)}, not a {name!r} record: "
                "add its data model to `data_models`."
            )
        return name

    async def _embed(self, texts):
        vectors = await self.embedding_model(texts)
        for vector in vectors:
            if len(vector) != self._dimension:
                raise KnowledgeBaseError(
                    f"The embedding model gave a vector of dimension {len(vector)}; the knowledge base stores "
                    f"{self._dimension}: use the embedding model it was made with."
                )
        return vectors

    async def delete(self, id_or_ids, table_name):
        """Deletes records by key; returns how many were deleted."""
        await self._prepare()
        _, key = self._table(table_name)
        ids = id_or_ids if isinstance(id_or_ids, (list, tuple)) else [id_or_ids]
        if not ids:
            return 0
        where = f"{key} IN ({', '.join(quote(value) for value in ids)})"
        return await asyncio.to_thread(self._store.delete, table_name, where)

    async def drop_table(self, table_name):
        """Deletes every record of a table (the table stays, empty); returns True."""
        await self._prepare()
        self._table(table_name)
        await asyncio.to_thread(self._store.drop_table, table_name)
        schema = self._schemas[table_name]
        self._store.create_table(table_name, schema["properties"], self._dimension)
        return True

    # Reading

    def _records(self, table_name, rows):
        schema, _ = self._table(table_name)
        return [JsonDataModel(schema=schema, json=decode_row(row, schema["properties"])) for row in rows]

    async def get(self, id_or_ids, table_name):
        """The record with this key (None when there is none), or a list for a list of keys."""
        await self._prepare()
        _, key = self._table(table_name)
        ids = id_or_ids if isinstance(id_or_ids, (list, tuple)) else [id_or_ids]
        where = f"{key} IN ({', '.join(quote(value) for value in ids)})" if ids else None
        found = {}
        if where:
            for record in self._records(table_name, await asyncio.to_thread(self._store.rows, table_name, where)):
                found[record.get(key)] = record
        results = [found.get(value) for value in ids]
        return results if isinstance(id_or_ids, (list, tuple)) else results[0]

    async def getall(self, table_name, limit=50, offset=0):
        """Up to `limit` records of a table, from `offset`."""
        await self._prepare()
        self._table(table_name)
        rows = await asyncio.to_thread(self._store.rows, table_name, None, limit, offset)
        return self._records(table_name, rows)

    async def query(self, filters, table_name, limit=50):
        """The records whose fields equal `filters` (`{"author": "Ada", "year": 1843}`), up to `limit`."""
        await self._prepare()
        schema, _ = self._table(table_name)
        unknown = sorted(set(filters) - set(schema["properties"]))
        if unknown:
            raise KnowledgeBaseError(
                f"{table_name} has no field {unknown}; its fields are {list(schema['properties'])}."
            )
        where = " AND ".join(f"{name} = {quote(value)}" for name, value in filters.items()) or None
        return self._records(table_name, await asyncio.to_thread(self._store.rows, table_name, where, limit))

    async def count(self, table_name):
        """The number of records in a table."""
        await self._prepare()
        self._table(table_name)
        return await asyncio.to_thread(self._store.count, table_name)

    # Searching

    async def similarity_search(
        self, text_or_texts=None, table_name=None, vector_or_vectors=None, k=10, threshold=None
    ):
        """The `k` records whose embeddings are nearest the text's (or a given vector), nearest first;
        with `threshold`, only those at most that far (cosine distance). A list of texts gives a list of lists."""
        await self._prepare()
        self._table(table_name)
        if self.embedding_model is None and vector_or_vectors is None:
            raise KnowledgeBaseError("similarity_search needs an `embedding_model` on the knowledge base (or vectors).")
        single = not isinstance(text_or_texts if vector_or_vectors is None else vector_or_vectors[0], (list, tuple))
        if vector_or_vectors is None:
            texts = [text_or_texts] if single else list(text_or_texts)
            vectors = await self._embed(texts)
        else:
            vectors = [vector_or_vectors] if single else list(vector_or_vectors)
            if any(len(vector) != self._dimension for vector in vectors):
                raise KnowledgeBaseError(f"A query vector must have dimension {self._dimension}.")
        results = []
        for vector in vectors:
            rows = await asyncio.to_thread(self._store.vector_search, table_name, vector, k)
            if threshold is not None:
                rows = [row for row in rows if row["_distance"] <= threshold]
            results.append(self._records(table_name, rows))
        return results[0] if single else results

    async def fulltext_search(self, text_or_texts, table_name, k=10, threshold=None):
        """The `k` records whose text best matches (BM25), best first; with `threshold`, a minimum score."""
        await self._prepare()
        self._table(table_name)
        single = isinstance(text_or_texts, str)
        results = []
        for text in [text_or_texts] if single else list(text_or_texts):
            rows = await asyncio.to_thread(self._store.fulltext_search, table_name, text, k)
            if threshold is not None:
                rows = [row for row in rows if row["_score"] >= threshold]
            results.append(self._records(table_name, rows))
        return results[0] if single else results

    async def hybrid_search(self, text_or_texts, table_name, k=10):
        """The `k` best records by similarity and full text together, fused by reciprocal rank."""
        await self._prepare()
        self._table(table_name)
        if self.embedding_model is None:
            raise KnowledgeBaseError("hybrid_search needs an `embedding_model` on the knowledge base.")
        single = isinstance(text_or_texts, str)
        texts = [text_or_texts] if single else list(text_or_texts)
        vectors = await self._embed(texts)
        results = []
        for text, vector in zip(texts, vectors):
            rows = await asyncio.to_thread(self._store.hybrid_search, table_name, vector, text, k)
            results.append(self._records(table_name, rows))
        return results[0] if single else results

    hybrid_fts_search = hybrid_search  # Synalinks' name for it

    def table_names(self):
        """The names of the knowledge base's tables, in the order of `data_models`."""
        return [self._table_name(data_model) for data_model in self.data_models]

    def get_schemas(self):
        """`{table name: JSON schema}` of the records it stores."""
        return {
            self._table_name(data_model): (data_model if isinstance(data_model, dict) else data_model.get_schema())
            for data_model in self.data_models
        }

    # Saving: the configuration (where the data is and of which shape), never the records.

    def get_config(self):
        return {
            "uri": self.uri,
            "data_models": list(self.get_schemas().values()),
            "embedding_model": self.embedding_model,
            "metric": self.metric,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config):
        from synalinks.saving.serialization import deserialize_nested

        return cls(**deserialize_nested(config))
