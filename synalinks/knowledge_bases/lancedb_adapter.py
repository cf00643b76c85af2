"""`LanceDBAdapter`: the embedded LanceDB engine, the knowledge base's default (a folder; vector,
full-text and hybrid search built in; offline)."""

import datetime
import threading

from synalinks.knowledge_bases.database_adapter import (
    TEXT_COLUMN,
    VECTOR_COLUMN,
    DatabaseAdapter,
    quote,
)
from synalinks.knowledge_bases.identifiers import backquoted
from synalinks.knowledge_bases.read_only_sql import run_query, sandboxed_duckdb

# Indexes catch up with writes (`optimize`) once this share of rows is not indexed yet: until then
# LanceDB searches the new rows exactly, beside the index.
REINDEX_SHARE = 0.1


def _lancedb():
    try:
        import lancedb
    except ImportError as error:
        raise ImportError('The knowledge base needs LanceDB: pip install "synalinks[knowledge]" (lancedb).') from error
    return lancedb


def column_type(prop):
    """The Arrow type of a JSON schema property: strings, numbers, booleans as such, anything else as JSON text."""
    import pyarrow

    return {
        "string": pyarrow.string(),
        "integer": pyarrow.int64(),
        "number": pyarrow.float64(),
        "boolean": pyarrow.bool_(),
    }.get(prop.get("type"), pyarrow.string())


class LanceDBAdapter(DatabaseAdapter):
    """One LanceDB database (a folder): a table per data model.

    Full-text search uses LanceDB's BM25 index, made at the first full-text
    search; vector search is exact below `index_threshold` rows and uses an
    IVF index above it (made at the first vector search past the threshold).
    Both indexes are brought up to date when a tenth of the rows are newer
    than them; rows written since are searched exactly, so results always
    follow writes.

    Args:
        uri: The folder (or `lancedb://folder`).
        metric: The vector distance: "cosine", "l2" or "dot".
        index_threshold: Rows from which a vector index is kept.
    """

    def __init__(self, uri, metric="cosine", index_threshold=20_000):
        super().__init__(uri.removeprefix("lancedb://"), metric=metric, index_threshold=index_threshold)
        # Every read sees the latest commit, also one made by another process or knowledge base.
        self.db = _lancedb().connect(self.uri, read_consistency_interval=datetime.timedelta(0))
        self._tables = {}
        self._lock = threading.Lock()  # writes and index upkeep, one at a time
        self._opening = threading.Lock()
        self._fresh_indexes = set()  # (table, column) whose index was checked since the last write

    @staticmethod
    def identifier(name):
        return backquoted(name)

    def table_names(self):
        listed = self.db.list_tables()
        return set(getattr(listed, "tables", listed))

    def create_table(self, name, properties, key, dimension=None):
        import pyarrow

        if name in self.table_names():
            return
        fields = [pyarrow.field(field, column_type(prop)) for field, prop in properties.items()]
        fields.append(pyarrow.field(TEXT_COLUMN, pyarrow.string()))
        if dimension is not None:
            fields.append(pyarrow.field(VECTOR_COLUMN, pyarrow.list_(pyarrow.float32(), dimension)))
        self.db.create_table(name, schema=pyarrow.schema(fields))

    def dimension(self, name):
        schema = self._table(name).schema
        return schema.field(VECTOR_COLUMN).type.list_size if VECTOR_COLUMN in schema.names else None

    def drop_table(self, name):
        with self._lock:
            self.db.drop_table(name)
            self._tables.pop(name, None)
            self._written(name)

    def _table(self, name):
        table = self._tables.get(name)
        if table is None:
            with self._opening:  # one handle per table: another one's writes would not be seen through it
                table = self._tables.get(name)
                if table is None:
                    table = self._tables[name] = self.db.open_table(name)
        return table

    def _written(self, name):
        self._fresh_indexes = {(table, column) for table, column in self._fresh_indexes if table != name}

    def upsert(self, name, key, rows):
        import pyarrow

        table = self._table(name)
        # Column by column into the table's own types: much faster than row by row.
        columns = [pyarrow.array([row.get(field.name) for row in rows], type=field.type) for field in table.schema]
        batch = pyarrow.Table.from_arrays(columns, schema=table.schema)
        with self._lock:  # one writer at a time: concurrent commits to a table could drop one
            table.merge_insert(key).when_matched_update_all().when_not_matched_insert_all().execute(batch)
            self._written(name)

    def rows(self, name, where=None, limit=None, offset=0):
        query = self._table(name).search()
        if where:
            query = query.where(where)
        if offset:
            query = query.offset(offset)
        return query.limit(limit if limit is not None else max(self.count(name), 1)).to_list()

    def count(self, name):
        return self._table(name).count_rows()

    def delete(self, name, where):
        with self._lock:
            before = self.count(name)
            self._table(name).delete(where)
            self._written(name)
            return before - self.count(name)

    def _index_name(self, name, column):
        for index in self._table(name).list_indices():
            if column in index.columns:
                return index.name
        return None

    def _keep_index(self, name, column):
        """Makes the column's index when due, or brings it up to date (once per write, under a lock)."""
        if (name, column) in self._fresh_indexes:
            return
        with self._lock:
            if (name, column) in self._fresh_indexes:
                return
            table = self._table(name)
            index = self._index_name(name, column)
            if index is None:
                if column == TEXT_COLUMN:
                    from lancedb.index import FTS

                    table.create_index(TEXT_COLUMN, config=FTS(), replace=True)
                elif self.count(name) >= self.index_threshold:
                    from lancedb.index import IvfFlat

                    table.create_index(VECTOR_COLUMN, config=IvfFlat(distance_type=self.metric), replace=True)
            else:
                stats = table.index_stats(index)
                if stats.num_unindexed_rows > REINDEX_SHARE * max(stats.num_indexed_rows, 1):
                    table.optimize()
            self._fresh_indexes.add((name, column))

    def vector_search(self, name, vector, k):
        self._keep_index(name, VECTOR_COLUMN)
        query = self._table(name).search(vector, vector_column_name=VECTOR_COLUMN).distance_type(self.metric)
        return query.limit(k).to_list()

    def fulltext_search(self, name, text, k):
        self._keep_index(name, TEXT_COLUMN)
        return self._table(name).search(text, query_type="fts", fts_columns=TEXT_COLUMN).limit(k).to_list()

    def regex_search(self, name, pattern, fields, case_sensitive, k):
        flags = "" if case_sensitive else ", 'i'"
        where = " OR ".join(f"regexp_like({self.identifier(field)}, {quote(pattern)}{flags})" for field in fields)
        return self.rows(name, where, limit=k)

    def sql(self, statement, params=None, read_only=True, limits=(None, None, None)):
        """Runs on an in-process DuckDB that sees copies of the tables the statement names (read into
        memory): nothing it does reaches the LanceDB tables, whatever `read_only` says."""
        timeout, max_rows, max_bytes = limits
        lowered = statement.lower()
        with sandboxed_duckdb() as connection:
            for name in self.table_names():
                if name.lower() in lowered:
                    arrow = self._table(name).to_arrow()
                    internal = [column for column in (TEXT_COLUMN, VECTOR_COLUMN) if column in arrow.column_names]
                    connection.register(name, arrow.drop_columns(internal))
            return run_query(
                connection, statement, params, read_only=True, timeout=timeout, max_rows=max_rows, max_bytes=max_bytes
            )
