"""The JSON file formats synalinks writes, their versions, and safe reading.

Every file is one JSON object whose header says what it is:

    {"format": "synalinks.program", "format_version": 1,
     "synalinks_version": "0.1.0", "saved_at": "2026-11-24T12:00:00+00:00", ...}

`format` is `synalinks.program` (a whole program: architecture, variables,
compile configuration) or `synalinks.variables` (variables only).
"""

import datetime
import json
import os

from synalinks.saving import storage
from synalinks.version import __version__

PROGRAM_FORMAT = "synalinks.program"
VARIABLES_FORMAT = "synalinks.variables"
BACKUP_FORMAT = "synalinks.backup"
FORMAT_VERSION = 1

_KIND_NAMES = {PROGRAM_FORMAT: "program", VARIABLES_FORMAT: "variables", BACKUP_FORMAT: "backup"}


class FileFormatError(ValueError):
    """A file is not a readable synalinks file of the expected kind and version."""


def write_json_file(path, file_format, body):
    """Writes `body` with the format header to `path`, atomically.

    Args:
        path: Destination path.
        file_format: `PROGRAM_FORMAT` or `VARIABLES_FORMAT`.
        body: The content (a JSON-compatible dict).
    """
    document = {
        "format": file_format,
        "format_version": FORMAT_VERSION,
        "synalinks_version": __version__,
        "saved_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        **body,
    }
    try:
        text = json.dumps(document, ensure_ascii=False)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"Cannot save to '{os.fspath(path)}': the content is not JSON-serializable ({error})."
        ) from error
    try:
        storage.write_text(path, text)
    except OSError as error:
        raise OSError(
            error.errno,
            f"Could not write '{os.fspath(path)}': {error.strerror or error}. The file that was there, if any, "
            "is unchanged.",
        ) from error


def is_synalinks_file(document):
    """True for a file Synalinks (the reference package) wrote, which has no `format` header: a program
    file (`synalinks_version`, `class_name`) or a variables file (`trainable_variables`, ...), read by
    `synalinks_files`."""
    if not isinstance(document, dict) or "format" in document:
        return False
    program = "synalinks_version" in document and "class_name" in document
    variables = "trainable_variables" in document and "non_trainable_variables" in document
    return program or variables


def read_json_file(path, file_format, accept_synalinks_files=False):
    """Reads a synalinks file of the given format and returns its content.

    Args:
        path: The file.
        file_format: The expected format, or a tuple of accepted formats
            (the first one names the file in errors).
        accept_synalinks_files: Also return, as they are, the files that
            Synalinks (the reference package) writes, which have no header
            (see `synalinks_files`).

    Raises:
        FileNotFoundError: when there is no such file.
        FileFormatError: when the file is not valid JSON (truncated or
            corrupt), is not a synalinks file, is of another kind, or has a
            format version this library does not know.
    """
    path = os.fspath(path)
    accepted = file_format if isinstance(file_format, tuple) else (file_format,)
    kind = _KIND_NAMES[accepted[0]]
    if storage.isdir(path):
        raise FileFormatError(f"'{path}' is a folder, not a synalinks {kind} file.")
    if not storage.exists(path):
        raise FileNotFoundError(f"No such synalinks {kind} file: '{path}'.")
    try:
        document = json.loads(storage.read_text(path))
    except UnicodeDecodeError as error:
        raise FileFormatError(f"'{path}' is not a synalinks file: it is not UTF-8 text ({error}).") from error
    except json.JSONDecodeError as error:
        raise FileFormatError(
            f"'{path}' is not valid JSON, it may be truncated or corrupt "
            f"({error.msg} at line {error.lineno}, column {error.colno})."
        ) from error
    except (ValueError, RecursionError) as error:  # a number too long to convert, nesting too deep
        raise FileFormatError(f"'{path}' is not a readable synalinks file: {str(error)[:200]}") from None
    if accept_synalinks_files and is_synalinks_file(document):
        return document
    if not isinstance(document, dict) or "format" not in document:
        raise FileFormatError(f"'{path}' is not a synalinks file: it has no 'format' header.")
    found = document["format"]
    if not isinstance(found, str):
        raise FileFormatError(f"'{path}' is not a synalinks file: its 'format' header is not a string.")
    if found not in accepted:
        found_name = _KIND_NAMES.get(found)
        hint = ""
        if found_name == "variables":
            hint = " Load it into a built program with program.load_variables(path)."
        elif found_name == "program":
            hint = " Load it with synalinks.programs.load_program(path)."
        raise FileFormatError(
            f"'{path}' is a {found_name or repr(found[:100])} file, not a synalinks {kind} file.{hint}"
        )
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FileFormatError(f"'{path}' has an invalid format_version: {str(version)[:50]!r}.")
    if version > FORMAT_VERSION:
        raise FileFormatError(
            f"'{path}' has format version {version}, written by synalinks "
            f"{str(document.get('synalinks_version', '?'))[:50]}; this synalinks ({__version__}) reads "
            f"versions up to {FORMAT_VERSION}. Upgrade synalinks to load it."
        )
    return document
