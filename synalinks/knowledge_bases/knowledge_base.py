"""`KnowledgeBase`: records of data models stored in tables, with exact, vector, full-text, regex and
hybrid search, and read-only SQL."""

import asyncio
import os
import threading

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.knowledge_bases.database_adapter import TEXT_COLUMN, VECTOR_COLUMN, decode_row
from synalinks.knowledge_bases.identifiers import check_folder_name, check_name, check_table_name
from synalinks.knowledge_bases.knowledge_base_arguments import (
    as_list,
    check_count,
    check_output_format,
    formatted,
    is_finite,
)
from synalinks.knowledge_bases.knowledge_base_error import KnowledgeBaseError
from synalinks.knowledge_bases.knowledge_base_loading import knowledge_base_from_config
from synalinks.knowledge_bases.knowledge_ingestion import KnowledgeIngestion
from synalinks.knowledge_bases.knowledge_search import KnowledgeSearch
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


def adapter_for(uri, metric, index_threshold):
    """The engine a URI names: `duckdb://...` DuckDB, a folder or `lancedb://...` LanceDB."""
    if uri.startswith("duckdb://"):
        from synalinks.knowledge_bases.duckdb_adapter import DuckDBAdapter

        return DuckDBAdapter(uri, metric=metric, index_threshold=index_threshold)
    from synalinks.knowledge_bases.lancedb_adapter import LanceDBAdapter

    return LanceDBAdapter(uri, metric=metric, index_threshold=index_threshold)


@register_synalinks_serializable(package="synalinks")
class KnowledgeBase(KnowledgeIngestion, KnowledgeSearch):
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
