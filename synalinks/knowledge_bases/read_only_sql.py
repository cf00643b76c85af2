"""Read-only SQL: a statement that could write is refused before it runs, what runs as read-only runs in a
transaction that is always rolled back, under a timeout and with bounded results, and the DuckDB
connection that runs SQL cannot reach files or the network."""

import contextlib
import json
import threading

from synalinks.knowledge_bases.knowledge_base_error import KnowledgeBaseError
from synalinks.utils.json_safe import json_safe

DEFAULT_SQL_TIMEOUT = 30.0  # seconds a query may run before it is interrupted
DEFAULT_MAX_ROWS = 10_000  # rows a query may return
DEFAULT_MAX_BYTES = 10_000_000  # bytes of JSON a query's rows may take
FETCH_SIZE = 256


class ReadOnlySQLError(KnowledgeBaseError):
    """A statement given as read-only would write, or is not one single query."""


class SQLLimitError(KnowledgeBaseError):
    """A query ran past its timeout, or returned more rows or bytes than allowed; it was stopped."""


LONGEST_TIMER = 365 * 24 * 3600.0


def duckdb_module():
    try:
        import duckdb
    except ImportError as error:
        raise ImportError(
            'SQL on a knowledge base needs DuckDB: pip install "synalinks[knowledge]" (duckdb).'
        ) from error
    return duckdb


def sandbox(connection):
    """No extension is downloaded or loaded on its own, no file or URL is read by a query, and no
    statement can change these settings afterwards (`lock_configuration`)."""
    locked = connection.execute("SELECT current_setting('lock_configuration')").fetchone()[0]
    if locked:  # the same database opened again in this process: sandboxed the first time
        if connection.execute("SELECT current_setting('enable_external_access')").fetchone()[0]:
            raise KnowledgeBaseError(
                "This DuckDB database was opened elsewhere in this process with external access and a locked "
                "configuration: a knowledge base cannot sandbox it. Open it only through KnowledgeBase."
            )
        return connection
    connection.execute("SET autoinstall_known_extensions = false")
    connection.execute("SET autoload_known_extensions = false")
    connection.execute("SET enable_external_access = false")
    connection.execute("SET lock_configuration = true")
    return connection


@contextlib.contextmanager
def sandboxed_duckdb():
    """An in-memory DuckDB connection, sandboxed, closed at the end."""
    connection = sandbox(duckdb_module().connect(":memory:"))
    try:
        yield connection
    finally:
        connection.close()


def _first_keyword(statement):
    words = statement.strip().split(None, 1)
    return words[0].upper() if words and words[0].isalpha() else None


def check_read_only(statement):
    """Raises `ReadOnlySQLError` unless `statement` is exactly one query (`SELECT`, `WITH ... SELECT`).

    DuckDB's own parser decides, so `SELECT 1; DROP TABLE x`, `COPY ... TO`,
    `ATTACH`, `INSTALL`, `INSERT`, `UPDATE`, `DELETE`, `CREATE`, `PRAGMA` are
    all refused. This is the second line: a query that passes it still runs
    in a transaction that is rolled back (`run_query(read_only=True)`), since
    DuckDB types `WITH x AS (DELETE ... RETURNING ...) SELECT ...` as a SELECT.
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
        named = _first_keyword(statement) or kind.name
        raise ReadOnlySQLError(
            f"Only read-only SELECT queries are run here, not {named} statements: this one was refused before it ran. "
            "Pass read_only=False from trusted code to change the data."
        )


def check_limits(timeout, max_rows, max_bytes):
    """Raises ValueError naming the argument unless each limit is a positive number or None."""
    for name, value in (("timeout", timeout), ("max_rows", max_rows), ("max_bytes", max_bytes)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < float("inf"):
            raise KnowledgeBaseError(f"`{name}` must be a positive number or None, got {value!r}.")


def run_query(connection, statement, params=None, *, read_only=True, timeout=None, max_rows=None, max_bytes=None):
    """Runs `statement` on a DuckDB connection and returns its rows as JSON-safe dicts.

    With `read_only`, the statement runs inside a transaction that is rolled
    back whatever it did: nothing it could change survives. It is
    interrupted for real (`connection.interrupt()`) after `timeout` seconds,
    and stopped once it returns more than `max_rows` rows or `max_bytes`
    bytes of JSON (None: no limit).

    Raises:
        SQLLimitError: past a limit (the transaction rolled back).
        duckdb.Error: what the engine says of the statement.
    """
    duckdb = duckdb_module()
    timer = None
    timed_out = threading.Event()
    if timeout is not None:

        def interrupt():
            timed_out.set()
            connection.interrupt()

        # A timer thread cannot wait past what the platform's clock holds (1e300 s overflows): a year is forever here.
        timer = threading.Timer(min(timeout, LONGEST_TIMER), interrupt)
        timer.daemon = True
    if read_only:
        connection.execute("BEGIN TRANSACTION")
    try:
        if timer is not None:
            timer.start()
        try:
            cursor = connection.execute(statement, params or [])
            columns = [column[0] for column in cursor.description or []]
            rows, size = [], 0
            while True:
                chunk = cursor.fetchmany(FETCH_SIZE)
                if not chunk:
                    break
                for values in chunk:
                    row = json_safe(dict(zip(columns, values)))
                    rows.append(row)
                    if max_rows is not None and len(rows) > max_rows:
                        raise SQLLimitError(
                            f"The query returned more than max_rows={max_rows} rows and was stopped: "
                            "add a LIMIT or aggregate."
                        )
                    if max_bytes is not None:
                        size += len(json.dumps(row, ensure_ascii=False))
                        if size > max_bytes:
                            raise SQLLimitError(
                                f"The query's rows passed max_bytes={max_bytes} bytes of JSON and it was stopped: "
                                "select fewer columns or rows."
                            )
            return rows
        except duckdb.Error:
            if timed_out.is_set():
                raise SQLLimitError(
                    f"The query ran past its timeout of {timeout:g} s and was interrupted: make it cheaper "
                    "(filter, LIMIT) or pass a larger timeout."
                ) from None
            raise
    finally:
        if timer is not None:
            timer.cancel()
        if read_only:
            connection.execute("ROLLBACK")
