"""`KnowledgeBase`: records of data models stored in tables, with exact, vector, full-text, regex and
hybrid search, and read-only SQL."""

import asyncio
import os
import re
import sys
import threading

from synalinks.data_models.json_data_model import JsonDataModel, to_json_data_model
from synalinks.data_models.schema_validation import schema_errors
from synalinks.knowledge_bases.database_adapter import TEXT_COLUMN, VECTOR_COLUMN, decode_row, encode_row
from synalinks.knowledge_bases.identifiers import check_folder_name, check_name, check_table_name
from synalinks.knowledge_bases.knowledge_base_arguments import (
    as_list,
    check_count,
    check_output_format,
    check_search_arguments,
    check_texts,
    formatted,
    is_finite,
)
from synalinks.knowledge_bases.knowledge_base_error import KnowledgeBaseError
from synalinks.knowledge_bases.knowledge_base_loading import knowledge_base_from_config
from synalinks.knowledge_bases.rank_fusion import reciprocal_rank_fusion
from synalinks.knowledge_bases.read_only_sql import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_SQL_TIMEOUT,
    check_limits,
    check_read_only,
    duckdb_module,
)
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.home import synalinks_home

FILE_BATCH_SIZE = 10_000  # records embedded and committed together when a table is read from a file


def record_text(value, key):
    """The text of a record that is embedded and indexed: its string fields but the key, one per line."""
    return "\n".join(str(item) for name, item in value.items() if name != key and isinstance(item, str))


def adapter_for(uri, metric, index_threshold):
    """The engine a URI names: `duckdb://...` DuckDB, a folder or `lancedb://...` LanceDB."""
    if uri.startswith("duckdb://"):
        from synalinks.knowledge_bases.duckdb_adapter import DuckDBAdapter

        return DuckDBAdapter(uri, metric=metric, index_threshold=index_threshold)
    from synalinks.knowledge_bases.lancedb_adapter import LanceDBAdapter

    return LanceDBAdapter(uri, metric=metric, index_threshold=index_threshold)


@register_synalinks_serializable(package="synalinks")
class KnowledgeBase:
    """Stores records of data models, one table per data model, and finds them again.

    The primary key of a table is the first declared field of its data
    model: `update` inserts new keys and replaces the records whose key is
    there already, so ingesting the same records again changes nothing. Each
    record's text (its string fields but the key) is indexed for full-text
    search and, with an `embedding_model`, embedded for similarity search;
    the hybrid searches fuse two rankings by reciprocal rank. Tables are
    named after their data models (`Document` for
    `class Document(synalinks.DataModel)`).

    Two engines, both in-process and offline:

    - LanceDB (the default; `uri` a folder or `lancedb://folder`): BM25 and
      vector indexes, for large tables.
    - DuckDB (`uri="duckdb://file.db"`): one file, SQL over the tables;
      exact vector and BM25 search computed in SQL (no download of DuckDB
      extensions), for tables up to some tens of thousands of rows.

    Each write is one atomic commit: a crash leaves every record of a batch
    either in or not. Searches return lists of dicts: the record's fields
    and its `score` (a distance for `similarity_search`, smaller is nearer;
    a BM25 score scaled to 0..1 for `fulltext_search`; the fused score for
    the hybrid searches).

    Args:
        uri: Where the data is: a folder (LanceDB, by default
            `<synalinks home>/knowledge/<name>`), `lancedb://folder` or
            `duckdb://file.db`.
        data_models: The `DataModel` classes whose records it stores (or their
            JSON schemas, each with a `title` naming its table).
        embedding_model: An `EmbeddingModel` (e.g. the embedded
            `EmbeddingModel(model="local/minilm")`), for similarity and hybrid search.
        metric: The vector distance: "cosine" (default), "l2" or "dot".
        wipe_on_start: Drop the tables of `data_models` first.
        name: The knowledge base's name.
        index_threshold: LanceDB: the rows from which a table's vectors are
            indexed (IVF); below it the search is exact (default 20,000).

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
        *,
        uri=None,
        data_models=None,
        embedding_model=None,
        metric="cosine",
        wipe_on_start=False,
        name=None,
        index_threshold=20_000,
    ):
        if metric not in ("cosine", "l2", "dot"):
            raise ValueError(f"`metric` must be 'cosine', 'l2' or 'dot', got {metric!r}.")
        self.name = check_folder_name(name or "knowledge_base")
        if uri is not None and not isinstance(uri, (str, os.PathLike)):
            raise KnowledgeBaseError(f"`uri` must be a path or URI string, got {type(uri).__name__}.")
        self.uri = os.fspath(uri) if uri is not None else os.path.join(synalinks_home(), "knowledge", self.name)
        if self.uri == "duckdb://":
            raise KnowledgeBaseError(
                "`uri` 'duckdb://' names no file: give duckdb://path/to/file.db (or duckdb://:memory: for a "
                "database that is gone when the process ends)."
            )
        self.metric = metric
        self.embedding_model = embedding_model
        self.wipe_on_start = wipe_on_start
        self.index_threshold = index_threshold
        self.data_models = list(data_models or [])
        self._schemas = {}
        self._opened_adapter = None  # opened at first use: building a knowledge base (loading a file) creates nothing
        self._opening = threading.Lock()
        self._dimension = None
        self._ready = False
        self._creating = threading.Lock()

    @property
    def _adapter(self):
        """The engine, opened (and its folder or file created) at the first call that needs it."""
        if self._opened_adapter is None:
            with self._opening:
                if self._opened_adapter is None:
                    self._opened_adapter = adapter_for(self.uri, self.metric, self.index_threshold)
        return self._opened_adapter

    # Tables

    @staticmethod
    def _table_name(data_model):
        """A table is named after its data model: the class name, or a schema's title."""
        if isinstance(data_model, type):
            return data_model.__name__
        if not isinstance(data_model, dict) and not hasattr(data_model, "get_schema"):
            raise KnowledgeBaseError(
                f"`table_name` must be a table's name or its data model, got {type(data_model).__name__} "
                f"{data_model!r:.80}."
            )
        schema = data_model if isinstance(data_model, dict) else data_model.get_schema()
        if not isinstance(schema, dict) or not isinstance(schema.get("title"), str) or not schema["title"]:
            raise KnowledgeBaseError(
                "`table_name` (or a data model given as a schema) needs a `title` string: it names its table."
            )
        return schema["title"]

    @staticmethod
    def _schema(data_model):
        return data_model if isinstance(data_model, dict) else data_model.get_schema()

    def _create(self, data_model, wipe=False):
        """Registers a data model's table, creating it when it is not stored yet."""
        schema = self._schema(data_model)
        name = check_table_name(self._table_name(data_model))
        if not schema.get("properties"):
            raise KnowledgeBaseError(f"{name} has no field: a record needs at least its key.")
        for field in schema["properties"]:
            check_name(field, f"The field name of {name}")
        exists = name in self._adapter.table_names()
        if exists and wipe:
            self._adapter.drop_table(name)
            exists = False
        if exists and self._dimension is not None and self._adapter.dimension(name) not in (None, self._dimension):
            raise KnowledgeBaseError(
                f"The table {name} at {self.uri} holds vectors of dimension {self._adapter.dimension(name)}; "
                f"the embedding model gives {self._dimension}: use the embedding model it was made with."
            )
        self._adapter.create_table(name, schema["properties"], next(iter(schema["properties"])), self._dimension)
        self._schemas[name] = schema

    async def _prepare(self):
        """Creates the tables (once): the embedding dimension is read from one embedding."""
        if self._ready:
            return
        dimension = None
        if self.embedding_model is not None:
            dimension = len((await self.embedding_model(["dimension probe"]))[0])
        await asyncio.to_thread(self._create_tables, dimension)

    def _create_tables(self, dimension):
        with self._creating:  # concurrent first calls (a batch of samples) create each table once
            if self._ready:
                return
            self._dimension = dimension
            for data_model in self.data_models:
                self._create(data_model, self.wipe_on_start)
            self._ready = True

    def _table(self, table_name):
        """The schema and key of a table, given by name or by its data model."""
        if not isinstance(table_name, str) and table_name is not None:
            table_name = self._table_name(table_name)
        if table_name not in self._schemas:
            raise KnowledgeBaseError(
                f"`table_name` {table_name!r:.80}: the knowledge base has no such table; its tables are "
                f"{sorted(self._schemas)}."
            )
        schema = self._schemas[table_name]
        return table_name, schema, next(iter(schema["properties"]))

    async def _run(self, method, *args):
        return await asyncio.to_thread(method, *args)

    # Writing

    async def update(self, data_model_or_data_models, *, verbose="auto"):
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
            KnowledgeBaseError: for a record of another data model, one that
                does not fit its schema, or whose embedding has another
                dimension (nothing of that call is written), or a Dataset with targets.
        """
        from synalinks.datasets.dataset import Dataset

        if isinstance(data_model_or_data_models, Dataset):
            return await self._update_from_dataset(data_model_or_data_models, verbose)
        await self._prepare()
        single = not isinstance(data_model_or_data_models, (list, tuple))
        grouped, keys = {}, []
        for record in as_list(data_model_or_data_models):
            table_name, schema, key = self._table(self._table_of(record))
            value = to_json_data_model(record).get_json()
            if value.get(key) is None:
                raise KnowledgeBaseError(f"A {table_name} record has no `{key}` (its key, the first field).")
            extra = sorted(set(value) - set(schema["properties"]) - {"embedding"})
            if extra:
                raise KnowledgeBaseError(
                    f"A {table_name} record has fields its table does not store: {extra}; "
                    f"its fields are {list(schema['properties'])}."
                )
            errors = schema_errors({name: value[name] for name in value if name in schema["properties"]}, schema)
            if errors:
                raise KnowledgeBaseError(f"A {table_name} record does not fit its schema: {errors[0]}")
            grouped.setdefault(table_name, []).append(value)
            keys.append(value[key])
        await self._write(grouped)
        return keys[0] if single else keys

    async def _write(self, grouped):
        """Embeds every table's records first, then commits table by table: a refused batch writes nothing."""
        rows = {}
        for table_name, values in grouped.items():
            _, schema, key = self._table(table_name)
            texts = [record_text(value, key) for value in values]
            rows[table_name] = [
                encode_row(value, schema["properties"], text, vector)
                for value, text, vector in zip(values, texts, await self._vectors(schema, values, texts))
            ]
        for table_name, table_rows in rows.items():
            _, _, key = self._table(table_name)
            await self._run(self._adapter.upsert, table_name, key, table_rows)

    async def _vectors(self, schema, values, texts):
        """A vector per record: its own `embedding` (from `EmbedKnowledge`, or precomputed) when it has
        one that its table does not store as a field, else the embedding model's, in one call."""
        if self.embedding_model is None and self._dimension is None:
            return [None] * len(values)
        given = "embedding" not in schema["properties"]
        vectors = [value.get("embedding") if given else None for value in values]
        missing = [index for index, vector in enumerate(vectors) if vector is None]
        if missing:
            if self.embedding_model is None:
                raise KnowledgeBaseError("A record has no `embedding` and the knowledge base no `embedding_model`.")
            for index, vector in zip(missing, await self._embed([texts[index] for index in missing])):
                vectors[index] = vector
        self._check_dimension(vectors, "A record has")
        return vectors

    async def _update_from_dataset(self, dataset, verbose):
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
        if not hasattr(record, "get_json"):
            raise KnowledgeBaseError(
                "`data_model_or_data_models` must be a record (a DataModel instance or a JsonDataModel), a list "
                f"of them or a Dataset, got {type(record).__name__} {record!r:.60}."
            )
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
        self._check_dimension(vectors, "The embedding model gave")
        return vectors

    def _check_dimension(self, vectors, who):
        for vector in vectors:
            if len(vector) != self._dimension:
                raise KnowledgeBaseError(
                    f"{who} a vector of dimension {len(vector)}; the knowledge base stores {self._dimension}: "
                    "use the embedding model it was made with."
                )

    async def from_csv(
        self, path, *, table_name=None, table_description=None, delimiter=",", encoding="utf-8", header=True
    ):
        """Loads a CSV file as a table: its columns are the fields, the first one the key.

        Args:
            path: A local path or fsspec URL.
            table_name: The table's name (default: the file's name in PascalCase, `my-docs.csv` -> `MyDocs`).
            table_description: A description of the table, kept in its schema.
            delimiter: The field delimiter.
            encoding: The file's encoding.
            header: Whether the first line names the columns.

        Returns:
            The table's `SymbolicDataModel` (its schema names the table).
        """
        return await self._from_file(
            path, "csv", table_name, table_description, delimiter=delimiter, encoding=encoding, header=header
        )

    async def from_jsonl(self, path, *, table_name=None, table_description=None):
        """Loads a JSON Lines file (one object per line) as a table; see `from_csv`."""
        return await self._from_file(path, "jsonl", table_name, table_description)

    async def from_json(self, path, *, table_name=None, table_description=None):
        """Loads a JSON file holding one array of objects as a table; see `from_csv`."""
        return await self._from_file(path, "json", table_name, table_description)

    async def from_parquet(self, path, *, table_name=None, table_description=None):
        """Loads a Parquet file as a table; see `from_csv`."""
        return await self._from_file(path, "parquet", table_name, table_description)

    async def _from_file(self, path, file_format, table_name, table_description, **options):
        from synalinks.data_models.symbolic_data_model import SymbolicDataModel
        from synalinks.knowledge_bases.file_tables import read_table, schema_of_arrow, table_name_of

        if not isinstance(path, (str, os.PathLike)):
            raise KnowledgeBaseError(f"`path` must be a file path or URL, got {type(path).__name__}.")
        if table_name is not None:
            check_table_name(table_name, "`table_name`")
        await self._prepare()
        try:
            table = await self._run(lambda: read_table(path, file_format, **options))
        except (OSError, ValueError) as error:
            raise KnowledgeBaseError(f"`path` {os.fspath(path)!r}: cannot read it as {file_format}: {error}") from error
        schema = schema_of_arrow(table.schema, table_name or table_name_of(path), table_description)
        for field in schema["properties"]:
            check_name(field, f"The column name of {path}")
        known = self._schemas.get(schema["title"])
        if known is not None and list(known["properties"]) != list(schema["properties"]):
            raise KnowledgeBaseError(
                f"`table_name` {schema['title']!r} is a table with the fields {list(known['properties'])}; "
                f"{path} has the columns {list(schema['properties'])}: give another table_name."
            )
        await self._run(self._create, schema)
        if schema["title"] not in [self._table_name(data_model) for data_model in self.data_models]:
            self.data_models.append(schema)
        for batch in table.to_batches(FILE_BATCH_SIZE):
            await self._write({schema["title"]: batch.to_pylist()})
        return SymbolicDataModel(schema=schema)

    async def delete(self, id_or_ids, *, table_name):
        """Deletes records by key; returns how many were deleted."""
        await self._prepare()
        table_name, schema, key = self._table(table_name)
        ids = as_list(id_or_ids)
        if not ids:
            return 0
        self._check_keys(ids, schema["properties"][key])
        return await self._run(self._adapter.delete, table_name, self._adapter.in_filter(key, ids))

    @staticmethod
    def _check_keys(ids, key_property):
        """Keys of the type of the table's key field (a string key is given strings, a number key numbers)."""
        kinds = {"string": (str,), "integer": (int,), "number": (int, float)}.get(key_property.get("type"))
        for value in ids:
            wrong = isinstance(value, bool) or not isinstance(value, kinds or (str, int, float)) or not is_finite(value)
            if wrong:
                expected = "a string" if kinds == (str,) else ("a number" if kinds else "a string or a number")
                raise KnowledgeBaseError(
                    f"`id_or_ids` must be a key ({expected}, the type of the table's key) or a list of them, got "
                    f"{type(value).__name__} {value!r:.80}."
                )

    async def drop_table(self, table_name):
        """Deletes a table and its records; the table is made again, empty, at the next write. Returns True."""
        await self._prepare()
        table_name, schema, key = self._table(table_name)
        await self._run(self._adapter.drop_table, table_name)
        await self._run(self._adapter.create_table, table_name, schema["properties"], key, self._dimension)
        return True

    # Reading

    def _records(self, table_name, rows):
        _, schema, _ = self._table(table_name)
        return [JsonDataModel(schema=schema, json=decode_row(row, schema["properties"])) for row in rows]

    async def get(self, id_or_ids, *, table_name):
        """The record with this key (None when there is none), or a list for a list of keys."""
        await self._prepare()
        table_name, schema, key = self._table(table_name)
        ids = as_list(id_or_ids)
        found = {}
        self._check_keys(ids, schema["properties"][key])
        if ids:
            rows = await self._run(self._adapter.rows, table_name, self._adapter.in_filter(key, ids))
            found = {record.get(key): record for record in self._records(table_name, rows)}
        results = [found.get(value) for value in ids]
        return results if isinstance(id_or_ids, (list, tuple)) else results[0]

    async def getall(self, *, table_name, limit=50, offset=0):
        """Up to `limit` records of a table, from `offset`."""
        await self._prepare()
        table_name, _, _ = self._table(table_name)
        check_count(limit, "limit")
        check_count(offset, "offset", minimum=0)
        rows = await self._run(self._adapter.rows, table_name, None, limit, offset)
        return self._records(table_name, rows)

    async def query(self, filters, *, table_name, limit=50):
        """The records whose fields equal `filters` (`{"author": "Ada", "year": 1843}`), up to `limit`."""
        await self._prepare()
        table_name, schema, _ = self._table(table_name)
        if not isinstance(filters, dict):
            raise KnowledgeBaseError(f"`filters` must be a dict of field values, got {type(filters).__name__}.")
        self._check_fields(table_name, schema, filters)
        for name, value in filters.items():
            if not (value is None or isinstance(value, (str, int, float, bool))) or not is_finite(value):
                raise KnowledgeBaseError(
                    f"`filters` compares fields to strings, finite numbers, booleans or None; {name!r} is given "
                    f"{type(value).__name__} {value!r:.40}."
                )
        check_count(limit, "limit")
        where = self._adapter.equals_filter(filters)
        return self._records(table_name, await self._run(self._adapter.rows, table_name, where, limit))

    @staticmethod
    def _check_fields(table_name, schema, fields, argument="filters"):
        unknown = sorted(set(fields) - set(schema["properties"]))
        if unknown:
            raise KnowledgeBaseError(
                f"`{argument}` names {unknown}: {table_name} has no such field; its fields are "
                f"{list(schema['properties'])}."
            )

    async def count(self, table_name):
        """The number of records in a table."""
        await self._prepare()
        table_name, _, _ = self._table(table_name)
        return await self._run(self._adapter.count, table_name)

    async def sql(
        self,
        sql,
        *,
        params=None,
        output_format="json",
        read_only=True,
        timeout=DEFAULT_SQL_TIMEOUT,
        max_rows=DEFAULT_MAX_ROWS,
        max_bytes=DEFAULT_MAX_BYTES,
    ):
        """Runs an SQL query over the tables (named as they are: `SELECT title FROM Document`).

        With `read_only=True` (the default; what every model-written query
        gets) the statement must be one `SELECT` (DuckDB's parser decides),
        refused before it runs otherwise, and it runs in a transaction that
        is rolled back: even a data-changing statement DuckDB types as a
        query (`WITH x AS (DELETE ... RETURNING ...) SELECT ...`) changes
        nothing. In every case a query cannot read files or URLs, is
        interrupted after `timeout` seconds, and is stopped past `max_rows`
        rows or `max_bytes` bytes. On LanceDB the query runs on an
        in-process DuckDB over copies of the tables it names.

        Args:
            sql: The statement.
            params: Its parameters: a list for `?`, a dict for `$name`.
            output_format: "json" (a list of dicts) or "csv" (text).
            read_only: Refuse a statement that could write (pass False only from trusted code).
            timeout: Seconds the query may run (default 30; None: no limit).
            max_rows: The most rows it may return (default 10,000; None: no limit).
            max_bytes: The most bytes of JSON its rows may take (default 10 MB; None: no limit).

        Returns:
            The rows as JSON data (decimals as numbers, dates as ISO strings,
            NaN as None), without the internal `_text` and `_vector` columns.

        Raises:
            ReadOnlySQLError: a read-only query that is not one SELECT.
            SQLLimitError: past `timeout`, `max_rows` or `max_bytes`.
            KnowledgeBaseError: what the engine says of the query.
        """
        if not isinstance(sql, str):
            raise KnowledgeBaseError(f"`sql` must be an SQL string, got {type(sql).__name__}.")
        check_output_format(output_format)
        check_limits(timeout, max_rows, max_bytes)
        if params is not None and not isinstance(params, (list, tuple, dict)):
            raise KnowledgeBaseError(f"`params` must be a list, a dict or None, got {type(params).__name__}.")
        await self._prepare()
        if read_only:
            check_read_only(sql)
        try:
            rows = await self._run(self._adapter.sql, sql, params, bool(read_only), (timeout, max_rows, max_bytes))
        except duckdb_module().Error as error:
            given = "`sql` with `params`" if params else "`sql`"
            raise KnowledgeBaseError(
                f"The query failed ({given}): {error}. The tables are {sorted(self._schemas)}."
            ) from error
        hidden = (TEXT_COLUMN, VECTOR_COLUMN)
        return formatted([{k: v for k, v in row.items() if k not in hidden} for row in rows], output_format)

    # Searching

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

    # Describing

    def table_names(self):
        """The names of the knowledge base's tables, in the order of `data_models`."""
        return [self._table_name(data_model) for data_model in self.data_models]

    def get_schemas(self):
        """`{table name: JSON schema}` of the records it stores."""
        return {self._table_name(data_model): self._schema(data_model) for data_model in self.data_models}

    def get_symbolic_data_models(self):
        """A `SymbolicDataModel` per table (its schema's title names the table)."""
        from synalinks.data_models.symbolic_data_model import SymbolicDataModel

        return [SymbolicDataModel(schema=schema) for schema in self.get_schemas().values()]

    # Saving: the configuration (where the data is and of which shape), never the records.

    def get_config(self):
        return {
            "uri": self.uri,
            "data_models": list(self.get_schemas().values()),
            "embedding_model": self.embedding_model,
            "metric": self.metric,
            "name": self.name,
            "index_threshold": self.index_threshold,
        }

    @classmethod
    def from_config(cls, config):
        """Builds the knowledge base of a config; while a file is loaded in safe mode, only at a place
        the caller passed (`load_program(..., knowledge_base=...)`), and never wiping it."""
        return knowledge_base_from_config(cls, config)
