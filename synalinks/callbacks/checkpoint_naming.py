"""Checkpoint file names: filepath templates, their fields, and finding the files they produce."""

import math
import numbers
import os
import re
import string

from synalinks.saving import storage


class DirectoryFilepathError(IsADirectoryError, ValueError):
    """A checkpoint filepath names an existing folder (an `IOError`, as in Keras, and a `ValueError`)."""


def refuse_directory(filepath):
    if storage.isdir(filepath):
        raise DirectoryFilepathError(
            f"Please specify a non-directory filepath for ProgramCheckpoint: '{filepath}' is an existing folder; "
            "give a file path inside it instead."
        )


def checkpoint_filepath(filepath, save_variables_only):
    """`filepath` as a str, refused unless it ends as the kind of checkpoint asks and is not a folder."""
    try:
        filepath = os.fsdecode(os.fspath(filepath))
    except TypeError:
        raise TypeError(
            f"`filepath` must be a str or os.PathLike, got {type(filepath).__name__}: {filepath!r}"
        ) from None
    variables_file = filepath.endswith(".variables.json")
    if save_variables_only and not variables_file:
        raise ValueError(
            "With save_variables_only=True, the filepath must end in '.variables.json' "
            f"(e.g. 'checkpoint.variables.json'), got '{filepath}'."
        )
    if not save_variables_only and (variables_file or not filepath.endswith(".json")):
        raise ValueError(
            "The filepath of a whole-program checkpoint must end in '.json' (e.g. 'checkpoint.program.json'); "
            f"use save_variables_only=True for a '.variables.json' file. Got '{filepath}'."
        )
    refuse_directory(filepath)
    return filepath


def check_fields_fillable(filepath, fields, program):
    """Refuses, before any LM call, a filepath field that no log of `program` can fill."""
    if not fields or program is None:
        return
    names = {"epoch", "batch"}
    for metric in getattr(program, "metrics", []):
        names.update({metric.name, f"val_{metric.name}"})
    unknown = sorted(set(fields) - names)
    if unknown:
        raise ValueError(
            f"The filepath '{filepath}' has the field(s) {', '.join('{' + name + '}' for name in unknown)}, "
            f"which no log of this program fills; use epoch, batch or one of: {', '.join(sorted(names))}."
        )


def template_fields(filepath):
    """The format fields of a filepath template, checked now rather than at the first save.

    Raises:
        ValueError: for a malformed template (unbalanced braces, positional or
            attribute fields, a format spec that cannot format a number).
    """
    try:
        parsed = list(string.Formatter().parse(filepath))
    except ValueError as error:
        raise ValueError(f"The filepath '{filepath}' is not a valid template: {error}.") from None
    fields = [name for _, name, _, _ in parsed if name is not None]
    for name in fields:
        if not name.isidentifier():
            raise ValueError(
                f"The filepath '{filepath}' has the field {{{name}}}; fields must be names such as "
                "{epoch:02d} or {val_reward:.2f}."
            )
    try:
        filepath.format(**{name: 1 for name in fields})
    except (ValueError, IndexError, KeyError) as error:
        raise ValueError(f"The filepath '{filepath}' is not a valid template: {error}.") from None
    return fields


def format_filepath(template, epoch, batch, logs):
    """The file a template names: `{epoch}` is `epoch + 1`, `{batch}` is `batch + 1`, other fields come from the logs.

    Raises:
        KeyError: naming the format field that the logs do not have.
    """
    fields = dict(logs or {})
    fields["epoch"] = epoch + 1
    if batch is not None and "batch" not in (logs or {}):
        fields["batch"] = batch + 1
    try:
        return template.format(**fields)
    except KeyError as error:
        raise KeyError(
            f'Failed to format this callback filepath: "{template}". '
            f"The logs have no field `{error.args[0]}`; available: {', '.join(sorted(fields))}."
        ) from None
    except (ValueError, IndexError) as error:
        raise ValueError(f'Failed to format this callback filepath: "{template}": {error}') from None


def pattern_regex(basename_template):
    """A regex matching the file names a filepath template can produce (each format field matches anything)."""
    parts = re.split(r"\{[^{}]*\}", basename_template)
    return re.compile("^" + ".*".join(re.escape(part) for part in parts) + "$")


def most_recent_matching(pattern):
    """The most recently modified file whose name the template `pattern` can produce, or None.

    On a tie of modification times, the largest of the tied paths is returned,
    so the answer is deterministic.
    """
    folder = storage.dirname(pattern)
    regex = pattern_regex(storage.basename(pattern))
    latest_time, latest = None, []
    for name in storage.listdir(folder or "."):
        path = storage.join(folder, name)
        if not regex.match(name) or not storage.isfile(path):
            continue
        modified = storage.getmtime(path)
        if latest_time is None or modified > latest_time:
            latest_time, latest = modified, [path]
        elif modified == latest_time:
            latest.append(path)
    return max(latest) if latest else None


def is_scalar(value):
    if isinstance(value, numbers.Number):
        return True
    return getattr(value, "ndim", None) == 0 or getattr(value, "shape", None) == ()


def json_safe(logs):
    """The logs as JSON values: numbers as floats, non-finite numbers and anything else as text."""
    safe = {}
    for key, value in (logs or {}).items():
        if isinstance(value, bool) or value is None or isinstance(value, str):
            safe[key] = value
        elif is_scalar(value):
            number = float(value)
            safe[key] = number if math.isfinite(number) else str(number)
        else:
            safe[key] = str(value)
    return safe
