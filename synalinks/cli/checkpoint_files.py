"""Reading checkpoint folders and files for the `synalinks checkpoints` commands."""

import csv
import json
import math
import os

from synalinks.saving import storage
from synalinks.saving.file_format import PROGRAM_FORMAT, VARIABLES_FORMAT, FileFormatError, read_json_file


def list_checkpoints(folder):
    """One row per complete checkpoint file in `folder`: path, metadata, size; damaged files are skipped."""
    rows = []
    for name in sorted(storage.listdir(folder)):
        if name.startswith(".") or not name.endswith(".json"):
            continue
        path = storage.join(folder, name)
        try:
            document = read_json_file(path, (PROGRAM_FORMAT, VARIABLES_FORMAT))
        except (OSError, ValueError):
            continue
        size = len(storage.read_text(path).encode("utf-8"))
        rows.append(
            {
                **_clean_metadata(document.get("metadata")),
                "name": name,
                "path": path,
                "format": document["format"],
                "size": size,
            }
        )
    return rows


def _clean_metadata(metadata):
    """A file's metadata with each field of the expected type (a damaged field is dropped, not fatal)."""
    if not isinstance(metadata, dict):
        return {}
    expected = {
        "epoch": int,
        "batch": int,
        "global_step": int,
        "monitor": str,
        "value": (int, float),
        "time": (int, float),
        "logs": dict,
    }
    clean = {}
    for key, kind in expected.items():
        value = metadata.get(key)
        if isinstance(value, kind) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                continue
            clean[key] = value
    if "time" in clean and not 0 <= clean["time"] < 32503680000:  # a date Python can show
        del clean["time"]
    return clean


def best_row(rows, folder):
    """The row of the best checkpoint: the manifests' best file, else the highest monitored value."""
    for name in storage.listdir(folder):
        if name.startswith(".synalinks-checkpoints-"):
            try:
                state = json.loads(storage.read_text(storage.join(folder, name)))["state"]
                best_path = state.get("best_path")
            except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
                continue
            for row in rows:
                if best_path and row["path"] == best_path:
                    return row
    scored = [row for row in rows if isinstance(row.get("value"), (int, float)) and math.isfinite(row["value"])]
    return max(scored, key=lambda row: row["value"]) if scored else None


def module_variables(path):
    """`[(module name, class, {variable: value})]` of a program or variables file."""
    document = read_json_file(path, (PROGRAM_FORMAT, VARIABLES_FORMAT))
    entries = document.get("variables")
    if not isinstance(entries, list):
        raise FileFormatError(f"'{path}' is damaged: its 'variables' must be a list of module entries.")
    return document, [(entry.get("module"), entry.get("class_name"), entry.get("variables") or {}) for entry in entries]


def history_rows(source):
    """Per-epoch logs from a CSVLogger file, or from a folder: its `history.csv` when there is one (every
    epoch, also with `save_best_only`), else its checkpoints (one per epoch, the latest)."""
    beside = os.path.join(source, "history.csv")
    if os.path.isdir(source) and os.path.isfile(beside):
        source = beside
    if source.endswith(".csv"):
        with open(source, newline="", encoding="utf-8") as file:
            rows = list(csv.DictReader(file))
        return [{key: _number(value) for key, value in row.items()} for row in rows]
    by_epoch = {}
    for row in list_checkpoints(source):
        logs = row.get("logs") or {}
        if row.get("epoch") is not None and logs and row.get("batch") is None:
            by_epoch[row["epoch"]] = {"epoch": row["epoch"], **logs}
    return [by_epoch[epoch] for epoch in sorted(by_epoch)]


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
