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

import os

from synalinks.saving.file_format import (
    PROGRAM_FORMAT,
    VARIABLES_FORMAT,
    FileFormatError,
    read_json_file,
    write_json_file,
)
from synalinks.saving.serialization import DeserializationError, deserialize, serialize


def _check_extension(path, what):
    if not os.fspath(path).endswith(".json"):
        raise ValueError(f"The {what} file path must end in '.json', got '{os.fspath(path)}'.")


def _modules_with_variables(program):
    modules = [program, *program.modules]
    return [module for module in modules if module._own_variables]


def variables_payload(program):
    """The program's variables as a list of `{"module", "class_name", "variables"}` entries."""
    return [
        {
            "module": module.name,
            "class_name": type(module).__name__,
            "variables": {variable.name: variable.get_json() for variable in module._own_variables},
        }
        for module in _modules_with_variables(program)
    ]


def _describe(entries):
    return ", ".join(f"{entry['module']} ({entry['class_name']})" for entry in entries) or "none"


def assign_variables_payload(program, entries, path):
    """Assigns saved variables to `program`, all or nothing.

    Raises:
        ValueError: when the saved variables do not fit the program's
            architecture, naming the file and the first difference.
    """
    path = os.fspath(path)
    targets = _modules_with_variables(program)
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise FileFormatError(f"'{path}' is damaged: its 'variables' must be a list of module entries.")
    expected = variables_payload(program)
    if len(entries) != len(targets):
        raise ValueError(
            f"'{path}' does not fit this program: it holds variables for {len(entries)} module(s) "
            f"[{_describe(entries)}], the program has {len(targets)} [{_describe(expected)}]. "
            "Load it into a program of the same architecture."
        )
    assignments = []
    for position, (entry, module) in enumerate(zip(entries, targets)):
        saved = entry.get("variables")
        if entry.get("class_name") != type(module).__name__ or not isinstance(saved, dict):
            raise ValueError(
                f"'{path}' does not fit this program: module {position + 1} is "
                f"{entry.get('module')} ({entry.get('class_name')}) in the file and "
                f"{module.name} ({type(module).__name__}) in the program."
            )
        names = {variable.name for variable in module._own_variables}
        if set(saved) != names:
            raise ValueError(
                f"'{path}' does not fit this program: module '{module.name}' has variables "
                f"{sorted(names)}, the file has {sorted(saved)}."
            )
        for variable in module._own_variables:
            value = saved[variable.name]
            errors = variable.validate(value)
            if errors:
                raise FileFormatError(
                    f"'{path}': the saved value of '{variable.path}' does not match its schema: {'; '.join(errors[:3])}"
                )
            assignments.append((variable, value))
    for variable, value in assignments:
        variable.assign(value)


def save_program(program, path, metadata=None):
    """Saves the whole program to `path` (a `.json` file), atomically.

    Example:

    ```python
    synalinks.programs.save_program(program, "qa.json")
    ```
    """
    _check_extension(path, "program")
    try:
        body = {
            "program": serialize(program),
            "compile_config": program.get_compile_config(),
            "variables": variables_payload(program),
            "optimizer_state": program.optimizer.get_state() if program.optimizer is not None else None,
            "metadata": metadata or {},
        }
    except Exception as error:
        raise RuntimeError(
            f"Could not save the program to '{os.fspath(path)}': serializing it failed ({type(error).__name__}: {error}). "
            "Nothing was written."
        ) from error
    write_json_file(path, PROGRAM_FORMAT, body)


def load_program(path, custom_objects=None, compile=True):
    """Loads a program saved with `program.save(path)`.

    The program comes back with the same architecture, variables and (when
    `compile=True`) compile configuration and optimizer state. Only
    registered classes are built: loading never runs code from the file.

    Args:
        path: The `.json` file.
        custom_objects: `{name: class_or_function}` for user objects that
            are not registered.
        compile: Whether to compile the program as it was when saved.

    Returns:
        The program, with the file's `metadata` as `program.checkpoint_info`.

    Example:

    ```python
    program = synalinks.programs.load_program("/tmp/synalinks/checkpoint.program.json")
    result = await program(Query(query="What is 2+2?"))
    ```
    """
    document = read_json_file(path, PROGRAM_FORMAT)
    path = os.fspath(path)
    for key in ("program", "variables"):
        if key not in document:
            raise FileFormatError(f"'{path}' is damaged: it has no '{key}' section.")
    try:
        program = deserialize(document["program"], custom_objects=custom_objects)
    except DeserializationError as error:
        raise DeserializationError(f"Cannot load '{path}': {error}") from error
    except (KeyError, TypeError, IndexError) as error:
        raise FileFormatError(f"'{path}' is damaged: its program section is malformed ({error!r}).") from error
    assign_variables_payload(program, document["variables"], path)
    if compile and document.get("compile_config"):
        try:
            program.compile_from_config(document["compile_config"], custom_objects=custom_objects)
        except DeserializationError as error:
            raise DeserializationError(
                f"Cannot compile the program loaded from '{path}': {error} (or load it with compile=False)."
            ) from error
        if document.get("optimizer_state") and program.optimizer is not None:
            program.optimizer.set_state(document["optimizer_state"])
    program.checkpoint_info = document.get("metadata") or {}
    return program


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
    # A whole-program file holds the variables too.
    document = read_json_file(path, (VARIABLES_FORMAT, PROGRAM_FORMAT))
    if "variables" not in document:
        raise FileFormatError(f"'{os.fspath(path)}' is damaged: it has no 'variables' section.")
    assign_variables_payload(program, document["variables"], path)
