"""`DatabaseAdapter`: what a `KnowledgeBase` asks of an engine (LanceDB, DuckDB), and the row encoding they share."""

import json

from synalinks.knowledge_bases.identifiers import double_quoted

TEXT_COLUMN = "_text"  # the record's text, indexed for full-text search
VECTOR_COLUMN = "_vector"  # the record's embedding, when the knowledge base has an embedding model
SCALAR_TYPES = ("string", "integer", "number", "boolean")


def quote(value):
    """`value` as an SQL literal: strings single-quoted with quotes doubled, numbers and booleans as they are."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def is_json_column(prop):
    """Fields that are not a string, a number or a boolean are stored as JSON text."""
    return prop.get("type") not in SCALAR_TYPES


def encode_row(value, properties, text, vector=None):
    """A record's JSON as a table row: non-scalar fields as JSON text, plus its text (and vector)."""
    row = {
        key: json.dumps(value.get(key), ensure_ascii=False) if is_json_column(prop) else value.get(key)
        for key, prop in properties.items()
    }
    row[TEXT_COLUMN] = text
    if vector is not None:  # numbers as they are: the engine converts them to float32 column-wise
        row[VECTOR_COLUMN] = vector if isinstance(vector, list) else [float(number) for number in vector]
    return row


def decode_row(row, properties):
    """A table row as the record's JSON."""
    return {
        key: json.loads(row[key]) if is_json_column(prop) and row.get(key) is not None else row.get(key)
        for key, prop in properties.items()
    }


class DatabaseAdapter:
    """One database of tables, one per data model, each with a key column, the
    record's text (`_text`) and, with an embedding model, its vector (`_vector`).

    The `KnowledgeBase` validates, embeds and encodes records and turns rows
    back into records; an adapter only stores and finds rows. Every method is
    synchronous (the knowledge base runs them in a worker thread) and every
    write is one atomic commit. Row filters (`where`) are SQL expressions built
    with `quote`.

    Args:
        uri: Where the database is (an engine-specific URI or path).
        metric: The vector distance: "cosine", "l2" or "dot".
        index_threshold: The number of rows from which a vector index is kept
            (below it, vector search is exact, by brute force).
    """

    def __init__(self, uri, metric="cosine", index_threshold=20_000):
        self.uri = uri
        self.metric = metric
        self.index_threshold = index_threshold

    @staticmethod
    def identifier(name):
        """A column or table name as this engine's filters quote it."""
        return double_quoted(name)

    def in_filter(self, column, values):
        """A row filter: `column` is one of `values`."""
        return f"{self.identifier(column)} IN ({', '.join(quote(value) for value in values)})"

    def equals_filter(self, filters):
        """A row filter: each column of `filters` equals its value (`IS NULL` for None); None when empty."""
        clauses = [
            f"{self.identifier(column)} IS NULL" if value is None else f"{self.identifier(column)} = {quote(value)}"
            for column, value in filters.items()
        ]
        return " AND ".join(clauses) or None

    def table_names(self):
        """The names of the tables in the database."""
        raise NotImplementedError

    def create_table(self, name, properties, key, dimension=None):
        """Creates the table for a data model's JSON schema `properties` (kept as it is when it exists)."""
        raise NotImplementedError

    def dimension(self, name):
        """The dimension of the table's vectors (None without a vector column)."""
        raise NotImplementedError

    def drop_table(self, name):
        raise NotImplementedError

    def upsert(self, name, key, rows):
        """Inserts `rows`, or replaces the rows with the same `key`, in one commit."""
        raise NotImplementedError

    def rows(self, name, where=None, limit=None, offset=0):
        """The rows matching `where` (all without), in storage order."""
        raise NotImplementedError

    def count(self, name):
        raise NotImplementedError

    def delete(self, name, where):
        """Deletes the rows matching `where`; returns how many."""
        raise NotImplementedError

    def vector_search(self, name, vector, k):
        """The `k` rows nearest `vector`, nearest first, each with its `_distance`."""
        raise NotImplementedError

    def fulltext_search(self, name, text, k):
        """The `k` rows whose text best matches `text` (BM25), best first, each with its `_score`."""
        raise NotImplementedError

    def regex_search(self, name, pattern, fields, case_sensitive, k):
        """Up to `k` rows with a field among `fields` matching the regular expression `pattern`."""
        raise NotImplementedError

    def sql(self, statement, params=None, read_only=True, limits=(None, None, None)):
        """Runs a statement and returns its rows as JSON-safe dicts (`read_only_sql.run_query`).

        Args:
            statement: The SQL (already checked by the caller when it must be read-only).
            params: Its parameters.
            read_only: Run it so that nothing it does is kept (a transaction rolled back, or copies).
            limits: `(timeout, max_rows, max_bytes)`, each None for no limit.
        """
        raise NotImplementedError
