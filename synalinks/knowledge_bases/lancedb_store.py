"""`LanceDBStore`: the embedded LanceDB engine behind a `KnowledgeBase` (tables of records, vector,
full-text and hybrid search; offline)."""

import json

TEXT_COLUMN = "_text"  # the record's text, indexed for full-text search
VECTOR_COLUMN = "_vector"  # the record's embedding, when the knowledge base has an embedding model


def _lancedb():
    try:
        import lancedb
    except ImportError as error:
        raise ImportError('The knowledge base needs LanceDB: pip install "synalinks[knowledge]" (lancedb).') from error
    return lancedb


def quote(value):
    """`value` as a LanceDB (SQL) literal: strings single-quoted with quotes doubled, numbers as they are."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def column_type(prop):
    """The Arrow type of a JSON schema property: strings, numbers, booleans as such, anything else as JSON text."""
    import pyarrow

    kind = prop.get("type")
    return {
        "string": pyarrow.string(),
        "integer": pyarrow.int64(),
        "number": pyarrow.float64(),
        "boolean": pyarrow.bool_(),
    }.get(kind, pyarrow.string())


def is_json_column(prop):
    return prop.get("type") not in ("string", "integer", "number", "boolean")


class LanceDBStore:
    """One LanceDB database (a folder): a table per data model.

    Args:
        uri: The folder (or `lancedb://folder`).
        metric: The vector distance: "cosine", "l2" or "dot".
    """

    def __init__(self, uri, metric="cosine"):
        self.uri = uri.removeprefix("lancedb://")
        self.metric = metric
        self.db = _lancedb().connect(self.uri)
        self._fts_fresh = set()

    def table_names(self):
        listed = self.db.list_tables()
        return set(getattr(listed, "tables", listed))

    def create_table(self, name, properties, dimension=None):
        """Creates the table for a data model's `properties` (kept when it exists)."""
        import pyarrow

        if name in self.table_names():
            return
        fields = [pyarrow.field(key, column_type(prop)) for key, prop in properties.items()]
        fields.append(pyarrow.field(TEXT_COLUMN, pyarrow.string()))
        if dimension is not None:
            fields.append(pyarrow.field(VECTOR_COLUMN, pyarrow.list_(pyarrow.float32(), dimension)))
        self.db.create_table(name, schema=pyarrow.schema(fields))

    def drop_table(self, name):
        self.db.drop_table(name)
        self._fts_fresh.discard(name)

    def _table(self, name):
        return self.db.open_table(name)

    def upsert(self, name, key, rows):
        """Inserts `rows` (dicts), or updates the rows with the same `key`: one atomic commit."""
        table = self._table(name)
        table.merge_insert(key).when_matched_update_all().when_not_matched_insert_all().execute(rows)
        self._fts_fresh.discard(name)

    def rows(self, name, where=None, limit=None, offset=0):
        query = self._table(name).search()
        if where:
            query = query.where(where)
        if offset:
            query = query.offset(offset)
        return query.limit(limit if limit is not None else self.count(name) or 1).to_list()

    def count(self, name):
        return self._table(name).count_rows()

    def delete(self, name, where):
        before = self.count(name)
        self._table(name).delete(where)
        self._fts_fresh.discard(name)
        return before - self.count(name)

    def _fresh_fts(self, name):
        """The full-text index, rebuilt once after writes (at the first search that needs it)."""
        if name not in self._fts_fresh:
            from lancedb.index import FTS

            self._table(name).create_index(TEXT_COLUMN, config=FTS(), replace=True)
            self._fts_fresh.add(name)

    def vector_search(self, name, vector, k):
        return self._table(name).search(vector, vector_column_name=VECTOR_COLUMN).metric(self.metric).limit(k).to_list()

    def fulltext_search(self, name, text, k):
        self._fresh_fts(name)
        return self._table(name).search(text, query_type="fts", fts_columns=TEXT_COLUMN).limit(k).to_list()

    def hybrid_search(self, name, vector, text, k):
        """Vector and full-text results fused by reciprocal rank (LanceDB's default reranker)."""
        self._fresh_fts(name)
        query = self._table(name).search(query_type="hybrid", vector_column_name=VECTOR_COLUMN, fts_columns=TEXT_COLUMN)
        return query.vector(vector).text(text).limit(k).to_list()


def encode_row(value, properties, text, vector=None):
    """A record's JSON as a table row: non-scalar fields as JSON text, plus its text (and vector)."""
    row = {
        key: json.dumps(value.get(key), ensure_ascii=False) if is_json_column(prop) else value.get(key)
        for key, prop in properties.items()
    }
    row[TEXT_COLUMN] = text
    if vector is not None:
        row[VECTOR_COLUMN] = [float(number) for number in vector]
    return row


def decode_row(row, properties):
    """A table row as the record's JSON."""
    return {
        key: json.loads(row[key]) if is_json_column(prop) and row.get(key) is not None else row.get(key)
        for key, prop in properties.items()
    }
