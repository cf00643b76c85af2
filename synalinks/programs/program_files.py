"""Saving and loading programs and their variables as JSON files.

A program file (`synalinks.program` format) holds the architecture (the
serialized program), its variables, its compile configuration and the
optimizer's state. A variables file (`synalinks.variables` format) holds the
variables only. Both carry the format header of `synalinks.saving.file_format`
and an optional `metadata` object (what wrote the file, e.g. a checkpoint's
epoch and monitored value).

Variables are stored per module, in the program's module order, so a file
loads into any program of the same architecture, whatever names the process
gave to the modules.
"""

import contextlib
import os

from synalinks.saving.file_format import (
    PROGRAM_FORMAT,
    VARIABLES_FORMAT,
    FileFormatError,
    is_synalinks_file,
    read_json_file,
    write_json_file,
)
from synalinks.saving.safe_mode import SafeModeScope
from synalinks.saving.serialization import DeserializationError, cut, deserialize, located_at, serialize
from synalinks.saving.synalinks_files import assign_synalinks_variables, upgrade_program_document
from synalinks.saving.variables_payload import assign_variables_payload, variables_payload

MAX_MESSAGE = 1000  # characters of a load error's message: file content is quoted, never copied whole


def _check_extension(path, what):
    if not os.fspath(path).endswith(".json"):
        raise ValueError(f"The {what} file path must end in '.json', got '{os.fspath(path)}'.")


def save_program(program, path, metadata=None):
    """Saves the whole program to `path` (a `.json` file), atomically.

    Example:

    ```python
    synalinks.programs.save_program(program, "qa.json")
    ```
    """
    _check_extension(path, "program")
    try:
        body = program_document(program, metadata)
    except Exception as error:
        raise RuntimeError(
            f"Could not save the program to '{os.fspath(path)}': serializing it failed ({type(error).__name__}: {error}). "
            "Nothing was written."
        ) from error
    write_json_file(path, PROGRAM_FORMAT, body)


def program_document(program, metadata=None):
    """The whole program as JSON (architecture, compile config, variables, optimizer state): what
    `save_program` writes, and what `synalinks.distributed` sends to its workers."""
    return {
        "program": serialize(program),
        "compile_config": program.get_compile_config(),
        "variables": variables_payload(program),
        "optimizer_state": program.optimizer.get_state() if program.optimizer is not None else None,
        "metadata": metadata or {},
    }


def load_program(
    path,
    custom_objects=None,
    compile=True,
    safe_mode=True,
    allowed_api_bases=None,
    language_model=None,
    knowledge_base=None,
):
    """Loads a program saved with `program.save(path)`.

    The program comes back with the same architecture, variables and (when
    `compile=True`) compile configuration and optimizer state. Only
    registered classes are built: loading never runs code from the file.

    In safe mode (the default), a file that asks loading to call a registered
    function, or points a language model at a server (`api_base`) you did not
    allow, fails to load and says what it asked for: such a file could delete
    files or send your API key elsewhere. A file's knowledge base is used
    only when you pass it (`knowledge_base=`): a file does not choose where a
    program reads, writes or wipes data.

    Args:
        path: The `.json` file.
        custom_objects: `{name: class_or_function}` for user objects that
            are not registered.
        compile: Whether to compile the program as it was when saved.
        safe_mode: Refuse what a file could abuse (see above). Set it to
            False only for files you trust.
        allowed_api_bases: Server URLs the file's language models may use.
        language_model: A `LanguageModel` used in place of every language
            model of the file (or `{model string: LanguageModel}` for some).
        knowledge_base: A `KnowledgeBase` used in place of every knowledge
            base of the file (or `{name: KnowledgeBase}` for some).

    Returns:
        The program, with the file's `metadata` as `program.checkpoint_info`.

    Raises:
        FileNotFoundError: when there is no such file.
        FileFormatError: when the file is damaged, naming the file and where.
        DeserializationError: when the file names something unknown, or that
            safe mode refuses.
        ValueError: when the saved variables do not fit the architecture.

    Example:

    ```python
    program = synalinks.programs.load_program("/tmp/synalinks/checkpoint.program.json")
    result = await program(Query(query="What is 2+2?"))
    ```
    """
    scope = SafeModeScope(
        safe_mode=safe_mode,
        allowed_api_bases=allowed_api_bases,
        language_model=language_model,
        knowledge_base=knowledge_base,
    )
    with _load_errors(path), scope:
        document = read_json_file(path, PROGRAM_FORMAT, accept_synalinks_files=True)
        path = os.fspath(path)
        if is_synalinks_file(document):
            return _load_synalinks_program(document, path, custom_objects, compile)
        return program_from_document(document, path, custom_objects, compile)


def program_from_document(document, path="the program document", custom_objects=None, compile=True):
    """Builds a program from `program_document`'s output (`path` names it in errors). Call it inside a
    `SafeModeScope` (as `load_program` does) to choose what the document may ask for."""
    for key in ("program", "variables", "compile_config", "optimizer_state"):
        if key not in document:
            raise FileFormatError(
                f"'{path}' is damaged: it has no '{key}' section (every program file has one, null when empty)."
            )
    try:
        program = deserialize(document["program"], custom_objects=custom_objects, path="$.program")
    except DeserializationError as error:
        raise DeserializationError(f"Cannot load '{path}': {error}") from error
    assign_variables_payload(program, document["variables"], path)
    if compile and document["compile_config"] is not None:
        if not isinstance(document["compile_config"], dict):
            raise FileFormatError(f"'{path}': $.compile_config must be an object or null.")
        try:
            with located_at(document["compile_config"], "$.compile_config"):
                program.compile_from_config(document["compile_config"], custom_objects=custom_objects)
        except DeserializationError as error:
            raise DeserializationError(
                f"Cannot compile the program loaded from '{path}': {error} (or load it with compile=False)."
            ) from error
        if document["optimizer_state"] is not None and program.optimizer is not None:
            try:
                program.optimizer.set_state(document["optimizer_state"])
            except ValueError as error:
                raise FileFormatError(f"'{path}': $.optimizer_state is malformed: {error}") from None
    metadata = document.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise FileFormatError(f"'{path}': $.metadata must be an object.")
    program.checkpoint_info = metadata
    return program


def _load_synalinks_program(document, path, custom_objects, compile):
    """A program from a file Synalinks (the reference package) wrote, upgraded to ours in memory."""
    config, compile_config, metadata = upgrade_program_document(document, path)
    try:
        program = deserialize(config, custom_objects=custom_objects, path="$")
    except DeserializationError as error:
        raise DeserializationError(f"Cannot load '{path}' (written by Synalinks): {error}") from error
    assign_synalinks_variables(program, document.get("variables") or {}, path)
    if compile and compile_config is not None:
        try:
            program.compile_from_config(compile_config, custom_objects=custom_objects)
        except DeserializationError as error:
            raise DeserializationError(
                f"Cannot compile the program loaded from '{path}': {error} (or load it with compile=False)."
            ) from error
    program.checkpoint_info = metadata
    return program


@contextlib.contextmanager
def _load_errors(path):
    """Every error of a load is a documented type (`FileFormatError`, `DeserializationError`
    or another `ValueError`), names the file and is at most `MAX_MESSAGE` characters long."""
    try:
        yield
    except OSError:
        raise
    except ValueError as error:
        message = str(error)
        named = os.fspath(path) in message
        if named and len(message) <= MAX_MESSAGE:
            raise
        if not named:  # e.g. a compile argument checked by compile(): say which file gave it
            message = f"Cannot load '{os.fspath(path)}': {message}"
        try:
            rephrased = type(error)(cut(message, MAX_MESSAGE))
        except Exception:  # an error class that takes other arguments
            rephrased = FileFormatError(cut(message, MAX_MESSAGE))
        raise rephrased from None
    except Exception as error:  # anything else a malformed file can cause (KeyError, TypeError, RecursionError, ...)
        raise FileFormatError(
            cut(
                f"'{os.fspath(path)}' is damaged or malformed: {type(error).__name__}: {cut(str(error), 300)}",
                MAX_MESSAGE,
            )
        ) from None


def save_variables(program, path, metadata=None):
    """Saves the program's variables to `path` (a `.json` file), atomically."""
    _check_extension(path, "variables")
    write_json_file(path, VARIABLES_FORMAT, {"variables": variables_payload(program), "metadata": metadata or {}})


def load_variables(program, path):
    """Loads variables saved by `save_variables` (or by `save`) into `program`.

    Raises:
        FileNotFoundError: when there is no such file.
        FileFormatError: when the file is corrupt, truncated or of an
            unknown format version.
        ValueError: when the file comes from a program of another architecture.
    """
    with _load_errors(path):
        # A whole-program file holds the variables too.
        document = read_json_file(path, (VARIABLES_FORMAT, PROGRAM_FORMAT), accept_synalinks_files=True)
        if is_synalinks_file(document):  # a variables file, or a program file with its variables
            assign_synalinks_variables(program, document.get("variables", document), os.fspath(path))
            return
        if "variables" not in document:
            raise FileFormatError(f"'{os.fspath(path)}' is damaged: it has no 'variables' section.")
        assign_variables_payload(program, document["variables"], path)


def program_from_json(json_string, custom_objects=None, safe_mode=True):
    """Builds a program from `program.to_json()` (its architecture; variables as initialized).

    Example:

    ```python
    text = program.to_json()
    program = synalinks.programs.program_from_json(text)
    ```
    """
    import json

    try:
        config = json.loads(json_string)
    except (TypeError, ValueError) as error:
        raise ValueError(f"program_from_json needs the text program.to_json() gives: {error}") from None
    with SafeModeScope(safe_mode=safe_mode):
        return deserialize(config, custom_objects=custom_objects, path="$")
