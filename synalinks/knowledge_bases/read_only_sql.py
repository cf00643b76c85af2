"""Read-only SQL: a statement that could write is refused before it runs, and the DuckDB connection that
runs SQL cannot reach files or the network."""

import contextlib

from synalinks.knowledge_bases.knowledge_base_error import KnowledgeBaseError


class ReadOnlySQLError(KnowledgeBaseError):
    """A statement given as read-only would write, or is not one single query."""


def duckdb_module():
    try:
        import duckdb
    except ImportError as error:
        raise ImportError(
            'SQL on a knowledge base needs DuckDB: pip install "synalinks[knowledge]" (duckdb).'
        ) from error
    return duckdb


def sandbox(connection):
    """No extension is downloaded or loaded on its own, and no file or URL is read by a query."""
    connection.execute("SET autoinstall_known_extensions = false")
    connection.execute("SET autoload_known_extensions = false")
    connection.execute("SET enable_external_access = false")
    return connection


@contextlib.contextmanager
def sandboxed_duckdb():
    """An in-memory DuckDB connection, sandboxed, closed at the end."""
    connection = sandbox(duckdb_module().connect(":memory:"))
    try:
        yield connection
    finally:
        connection.close()


def check_read_only(statement):
    """Raises `ReadOnlySQLError` unless `statement` is exactly one query (`SELECT`, `WITH ... SELECT`).

    DuckDB's own parser decides, so `SELECT 1; DROP TABLE x`, `COPY ... TO`,
    `ATTACH`, `INSERT`, `UPDATE`, `DELETE`, `CREATE`, `PRAGMA` are all refused.
    """
    duckdb = duckdb_module()
    if not isinstance(statement, str) or not statement.strip():
        raise ReadOnlySQLError("The SQL statement is empty: give one SELECT query.")
    with sandboxed_duckdb() as connection:
        try:
            statements = connection.extract_statements(statement)
        except duckdb.Error as error:
            raise ReadOnlySQLError(f"The SQL does not parse: {error}") from error
    if len(statements) != 1:
        raise ReadOnlySQLError(
            f"Give one SELECT query, not {len(statements)} statements: only read-only queries are run here."
        )
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise ReadOnlySQLError(
            f"Only read-only SELECT queries are run here; this is a {kind.name} statement, refused before it ran. "
            "Pass read_only=False from trusted code to change the data."
        )
