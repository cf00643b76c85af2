"""Names of tables and fields: checked where they come in (a file's header, a schema, an argument), and
quoted wherever they go into SQL."""

import re

from synalinks.knowledge_bases.knowledge_base_error import KnowledgeBaseError

MAX_NAME_LENGTH = 128
_TABLE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}")
_FOLDER_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}")


def check_name(name, what):
    """Returns `name` when it can name a table or a field, else raises `KnowledgeBaseError` naming `what`.

    A name is a non-empty string of at most 128 printable characters, with
    no quote or backtick, not starting with `_` (the engines' internal
    columns `_text`, `_vector`, `_distance`, `_score` start so). Names are
    quoted in every statement, so an SQL keyword (`Order`) or spaces are fine.

    Example:

    ```python
    check_name("First name", "the column name of data.csv")  # "First name"
    ```
    """
    if not isinstance(name, str):
        raise KnowledgeBaseError(f"{what} must be a string, got {type(name).__name__} {name!r:.80}.")
    problem = None
    if not name.strip():
        problem = "is empty"
    elif len(name) > MAX_NAME_LENGTH:
        problem = f"is longer than {MAX_NAME_LENGTH} characters"
    elif not name.isprintable():
        problem = "holds control characters"
    elif any(character in name for character in "\"'`"):
        problem = "holds a quote or a backtick"
    elif name.startswith("_"):
        problem = "starts with `_` (kept for the engine's own columns)"
    if problem:
        raise KnowledgeBaseError(f"{what} {name!r:.80} {problem}: rename it.")
    return name


def check_table_name(name, what="The table name"):
    """Returns `name` when it can name a table on both engines (letters, digits, `_`, `-`, `.`; not
    starting with `_` or `.`), else raises `KnowledgeBaseError` naming `what`."""
    check_name(name, what)
    if not _TABLE_NAME.fullmatch(name):
        raise KnowledgeBaseError(
            f"{what} {name!r:.80} must be letters, digits, `_`, `-` and `.` (e.g. `MyDocs`): both engines name "
            "their tables so."
        )
    return name


def check_folder_name(name, what="`name`"):
    """Returns `name` when it is a plain file or folder name (no path, not `..`), else raises."""
    if not isinstance(name, str) or not _FOLDER_NAME.fullmatch(name) or ".." in name:
        raise KnowledgeBaseError(
            f"{what} must be a plain name of letters, digits, `_`, `-` and `.` (no path, no `..`), got {name!r:.80}."
        )
    return name


def double_quoted(name):
    """A name as an SQL identifier for DuckDB (and standard SQL): `"name"`, inner quotes doubled."""
    return '"' + str(name).replace('"', '""') + '"'


def backquoted(name):
    """A name as an identifier in LanceDB's filters (DataFusion SQL): `` `name` ``."""
    return "`" + str(name) + "`"
