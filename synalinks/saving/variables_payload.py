"""The variables of a program as JSON, per module, and putting them back.

Variables are stored per module, in the program's module order, so a payload
fits any program of the same architecture, whatever names the process gave
to the modules. Program files, variables files and backups all use it.
"""

import hashlib
import json
import os

from synalinks.saving.file_format import FileFormatError
from synalinks.saving.serialization import cut, quote


def _modules_with_variables(program):
    modules = [program, *program.modules]
    return [module for module in modules if module._own_variables]


def module_signature(module):
    """A short hash of what a module produces (its class and output schema): two
    modules with the same signature can exchange variables."""
    described = [type(module).__name__, getattr(module, "schema", None)]
    text = json.dumps(described, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def variables_payload(program):
    """The program's variables as a list of `{"module", "class_name", "signature", "variables"}` entries."""
    return [
        {
            "module": module.name,
            "class_name": type(module).__name__,
            "signature": module_signature(module),
            "variables": {variable.name: variable.get_json() for variable in module._own_variables},
        }
        for module in _modules_with_variables(program)
    ]


def _describe(entries):
    return cut(", ".join(f"{entry.get('module')} ({entry.get('class_name')})" for entry in entries) or "none", 300)


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
                f"{quote(entry.get('module'), 100)} ({quote(entry.get('class_name'), 100)}) in the file and "
                f"{module.name} ({type(module).__name__}) in the program."
            )
        signature = entry.get("signature")
        if signature is not None and signature != module_signature(module):
            raise ValueError(
                f"'{path}' does not fit this program: module {position + 1} ({module.name}, "
                f"{type(module).__name__}) produces another data model in the file's program. "
                "Load it into a program of the same architecture."
            )
        names = {variable.name for variable in module._own_variables}
        if set(saved) != names:
            raise ValueError(
                f"'{path}' does not fit this program: module '{module.name}' has variables "
                f"{sorted(names)}, the file has {quote(sorted(map(str, saved)), 300)}."
            )
        for variable in module._own_variables:
            value = saved[variable.name]
            errors = variable.validate(value)
            if errors:
                raise FileFormatError(
                    f"'{path}': $.variables[{position}].variables.{variable.name} does not match its schema: "
                    f"{cut('; '.join(errors[:3]), 400)}"
                )
            assignments.append((variable, value))
    for variable, value in assignments:
        variable.assign(value)
