"""`DuckDBAdapter`: a knowledge base in one DuckDB file (`duckdb://path.db`), with SQL over its tables.

Only DuckDB's core is used: vector search with its built-in array distance
functions (exact), full-text search as BM25 computed in SQL, regular
expressions with RE2. DuckDB's `fts` and `vss` extensions are downloaded at
run time, so they are never loaded: nothing here needs the network.
"""

import re
import threading

from synalinks.knowledge_bases.database_adapter import TEXT_COLUMN, VECTOR_COLUMN, DatabaseAdapter, quote
from synalinks.knowledge_bases.identifiers import double_quoted as identifier
from synalinks.knowledge_bases.knowledge_base_error import KnowledgeBaseError
from synalinks.knowledge_bases.read_only_sql import duckdb_module, run_query, sandbox

COLUMN_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN"}
DISTANCES = {
    "cosine": "array_cosine_distance({column}, {vector})",
    "l2": "array_distance({column}, {vector})",
    "dot": "-array_inner_product({column}, {vector})",
}
BM25_K1, BM25_B = 1.2, 0.75
WORD = r"[\pL\pN_]+"  # RE2 in DuckDB; `\w+` in Python finds the same words


def query_terms(text):
    return sorted(set(re.findall(r"\w+", text.lower())))


class DuckDBAdapter(DatabaseAdapter):
    """One DuckDB database file: a table per data model, the key its primary key.

    Vector search is exact (a scan with `array_cosine_distance`), and so is
    full-text search (BM25 over the table's words, computed by one SQL
    query): right for tables up to some tens of thousands of rows. For
    larger ones, or indexed search, use the LanceDB engine.

    Args:
        uri: `duckdb://path/to/file.db` (or `duckdb://:memory:`).
        metric: The vector distance: "cosine", "l2" or "dot".
        index_threshold: Unused here (DuckDB's vector index is an extension, downloaded at run time).
    """

    def __init__(self, uri, metric="cosine", index_threshold=20_000):
        path = uri.removeprefix("duckdb://")
        if not path:
            raise KnowledgeBaseError(
                f"`uri` {uri!r} names no file: give duckdb://path/to/file.db (or duckdb://:memory: for a "
                "database that is gone when the process ends)."
            )
        super().__init__(path, metric=metric, index_threshold=index_threshold)
        self.connection = sandbox(duckdb_module().connect(self.uri))
        self._lock = threading.Lock()

    def _execute(self, statement, params=None, fetch=True):
        with self._lock:
            cursor = self.connection.execute(statement, params or [])
            if not fetch:
                return None
            columns = [column[0] for column in cursor.description or []]
            return [dict(zip(columns, row)) for row in cursor.fetchall()]

    def table_names(self):
        rows = self._execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")
        return {row["table_name"] for row in rows}

    def create_table(self, name, properties, key, dimension=None):
        columns = [
            f"{identifier(field)} {COLUMN_TYPES.get(prop.get('type'), 'VARCHAR')}"
            + (" PRIMARY KEY" if field == key else "")
            for field, prop in properties.items()
        ]
        columns.append(f"{identifier(TEXT_COLUMN)} VARCHAR")
        if dimension is not None:
            columns.append(f"{identifier(VECTOR_COLUMN)} FLOAT[{int(dimension)}]")
        self._execute(f"CREATE TABLE IF NOT EXISTS {identifier(name)} ({', '.join(columns)})", fetch=False)

    def dimension(self, name):
        rows = self._execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
            [name, VECTOR_COLUMN],
        )
        if not rows:
            return None
        return int(re.search(r"\[(\d+)\]", rows[0]["data_type"]).group(1))

    def drop_table(self, name):
        self._execute(f"DROP TABLE IF EXISTS {identifier(name)}", fetch=False)

    def upsert(self, name, key, rows):
        """One transaction: every row is in after it, or none (DuckDB's write-ahead log)."""
        import pyarrow

        with self._lock:
            self.connection.register("_batch", pyarrow.Table.from_pylist(rows))
            self.connection.execute("BEGIN TRANSACTION")
            try:
                self.connection.execute(f"INSERT OR REPLACE INTO {identifier(name)} BY NAME SELECT * FROM _batch")
                self.connection.execute("COMMIT")
            except BaseException:
                self.connection.execute("ROLLBACK")
                raise
            finally:
                self.connection.unregister("_batch")

    def rows(self, name, where=None, limit=None, offset=0):
        statement = f"SELECT * FROM {identifier(name)}" + (f" WHERE {where}" if where else "") + " ORDER BY rowid"
        if limit is not None:
            statement += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return self._execute(statement)

    def count(self, name):
        return self._execute(f"SELECT count(*) AS n FROM {identifier(name)}")[0]["n"]

    def delete(self, name, where):
        return self._execute(f"DELETE FROM {identifier(name)} WHERE {where} RETURNING 1").__len__()

    def vector_search(self, name, vector, k):
        dimension = len(vector)
        distance = DISTANCES[self.metric].format(column=identifier(VECTOR_COLUMN), vector=f"?::FLOAT[{dimension}]")
        return self._execute(
            f"SELECT *, {distance} AS _distance FROM {identifier(name)} "
            f"WHERE {identifier(VECTOR_COLUMN)} IS NOT NULL ORDER BY _distance LIMIT {int(k)}",
            [list(vector)],
        )

    def fulltext_search(self, name, text, k):
        """BM25 (k1=1.2, b=0.75) of the query's words over the table's words, in one SQL query."""
        terms = query_terms(text)
        if not terms:
            return []
        table = identifier(name)
        return self._execute(
            f"""
            WITH words AS (
                SELECT rowid AS row_id, unnest(regexp_extract_all(lower({identifier(TEXT_COLUMN)}), '{WORD}')) AS term
                FROM {table}
            ),
            lengths AS (SELECT row_id, count(*) AS length FROM words GROUP BY row_id),
            corpus AS (SELECT count(*) AS documents, avg(length) AS mean_length FROM lengths),
            hits AS (
                SELECT row_id, term, count(*) AS frequency FROM words WHERE term IN (SELECT unnest(?::VARCHAR[]))
                GROUP BY row_id, term
            ),
            spread AS (SELECT term, count(*) AS documents_with_term FROM hits GROUP BY term),
            scores AS (
                SELECT hits.row_id,
                    sum(ln(1 + (corpus.documents - documents_with_term + 0.5) / (documents_with_term + 0.5))
                        * frequency * ({BM25_K1} + 1)
                        / (frequency + {BM25_K1} * (1 - {BM25_B} + {BM25_B} * length / corpus.mean_length))) AS _score
                FROM hits JOIN spread USING (term) JOIN lengths USING (row_id), corpus
                GROUP BY hits.row_id
            )
            SELECT {table}.*, scores._score FROM scores JOIN {table} ON {table}.rowid = scores.row_id
            ORDER BY scores._score DESC LIMIT {int(k)}
            """,
            [terms],
        )

    def regex_search(self, name, pattern, fields, case_sensitive, k):
        options = "" if case_sensitive else ", 'i'"
        where = " OR ".join(f"regexp_matches({identifier(field)}, {quote(pattern)}{options})" for field in fields)
        return self.rows(name, where, limit=k)

    def sql(self, statement, params=None, read_only=True, limits=(None, None, None)):
        timeout, max_rows, max_bytes = limits
        with self._lock:  # a read-only query's transaction never overlaps a write
            return run_query(
                self.connection,
                statement,
                params,
                read_only=read_only,
                timeout=timeout,
                max_rows=max_rows,
                max_bytes=max_bytes,
            )

    def close(self):
        with self._lock:
            self.connection.close()
