"""`CheckpointManifest`: the record of a ProgramCheckpoint's files, kept in their folder."""

import dataclasses
import hashlib
import inspect
import json
import math
import time

from synalinks.callbacks.checkpoint_naming import json_safe, pattern_regex
from synalinks.saving import storage
from synalinks.saving.checkpoint_info import read_checkpoint_info

MANIFEST_FORMAT = "synalinks.checkpoint_manifest"


@dataclasses.dataclass
class CheckpointEntry:
    """One checkpoint file in a manifest's table.

    Attributes:
        path: The file.
        value: The monitored value it was written with (None: none, or not a number).
        epoch: The epoch it was written at (from 1).
        batch: The batch it was written after (from 1), None at an epoch's end.
        global_step: Training batches done when it was written.
        time: When it was written (seconds since the epoch).
        this_run: Written by the running `fit` (only such files are ever deleted).
    """

    path: str
    value: float | None = None
    epoch: int | None = None
    batch: int | None = None
    global_step: int | None = None
    time: float = 0.0
    this_run: bool = False

    @classmethod
    def written_now(cls, path, value, epoch, batch, global_step):
        """The entry of a file this run writes now (`epoch` and `batch` from 0, stored from 1)."""
        value = value if value is not None and math.isfinite(value) else None
        batch = None if batch is None else batch + 1
        return cls(path, value, epoch + 1, batch, global_step, time.time(), this_run=True)

    def metadata(self, monitor, value, logs):
        """What the checkpoint file records about how it was written (`program.checkpoint_info`)."""
        return {
            "epoch": self.epoch,
            "batch": self.batch,
            "global_step": self.global_step,
            "monitor": monitor,
            "value": json_safe({"value": value})["value"],
            "logs": json_safe(logs),
            "time": self.time,
        }

    def write(self, program, variables_only, monitor, value, logs, interrupted=None):
        """Saves `program` (or its variables) to this entry's path, atomically, with the metadata."""
        metadata = self.metadata(monitor, value, logs)
        if interrupted is not None:
            metadata["interrupted"] = interrupted
        save = program.save_variables if variables_only else program.save
        save(self.path, **_save_arguments(save, metadata))

    def to_json(self):
        return {**dataclasses.asdict(self), "this_run": False}

    @classmethod
    def from_json(cls, data):
        """An entry from its JSON, with ill-typed values dropped; None when there is no path."""
        if isinstance(data, cls):
            return dataclasses.replace(data, this_run=False)
        if not isinstance(data, dict) or not isinstance(data.get("path"), str):
            return None

        def number(key, kinds):
            value = data.get(key)
            return value if isinstance(value, kinds) and not isinstance(value, bool) else None

        return cls(
            path=data["path"],
            value=number("value", (int, float)),
            epoch=number("epoch", int),
            batch=number("batch", int),
            global_step=number("global_step", int),
            time=number("time", (int, float)) or 0.0,
        )


class CheckpointManifest:
    """The manifest of one filepath template: latest file, best, table of files.

    It is written atomically after each checkpoint. When it is missing or
    damaged, `scan` rebuilds the table from the complete checkpoint files in
    the folder.

    Args:
        folder: The checkpoint folder.
        filepath: The callback's filepath template.
    """

    def __init__(self, folder, filepath):
        self.folder = folder
        self.filepath = filepath
        digest = hashlib.sha256(filepath.encode("utf-8")).hexdigest()[:12]
        self.path = storage.join(folder or ".", f".synalinks-checkpoints-{digest}.json")

    def read(self):
        """The saved state, or None when the manifest is missing, damaged or for another template.

        Entries naming a file this template could not have written in this
        folder are dropped: a manifest never makes the callback touch other files.
        """
        try:
            document = json.loads(storage.read_text(self.path))
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(document, dict) or document.get("format") != MANIFEST_FORMAT:
            return None
        return self.clean(document.get("state"))

    def clean(self, state):
        """`state` with its entries as `CheckpointEntry`s for files this template owns, or None when malformed."""
        if (
            not isinstance(state, dict)
            or state.get("filepath") != self.filepath
            or not isinstance(state.get("entries"), list)
        ):
            return None
        for key in ("best_path", "last_path"):
            if state.get(key) is not None and not isinstance(state[key], str):
                return None
        schedule = state.get("schedule")
        if schedule is not None and not (
            isinstance(schedule, dict)
            and all(isinstance(value, int) and not isinstance(value, bool) for value in schedule.values())
        ):
            return None
        entries = [CheckpointEntry.from_json(data) for data in state["entries"]]
        entries = [entry for entry in entries if entry is not None and self.owns(entry.path)]
        if state.get("last_path") is not None and not self.owns(state["last_path"]):
            state = {**state, "last_path": None}
        return {**state, "entries": entries}

    def owns(self, path):
        """True for a path inside the folder whose name the template can produce."""
        if not isinstance(path, str) or storage.dirname(path) != storage.dirname(self.filepath):
            return False
        name = storage.basename(path)
        if name in ("", ".", "..") or "/" in name or "\\" in name:
            return False
        return bool(pattern_regex(storage.basename(self.filepath)).match(name))

    def write(self, state):
        storage.write_text(self.path, json.dumps({"format": MANIFEST_FORMAT, "version": 1, "state": state}))

    def scan(self, monitor):
        """A state rebuilt from the complete files in the folder that the template could have written
        (the newest one as the last), for when the manifest is missing or damaged."""
        regex = pattern_regex(storage.basename(self.filepath))
        entries = []
        for name in sorted(storage.listdir(self.folder or ".")):
            if name.startswith(".") or name.startswith(("last.", "interrupted.")) or not regex.match(name):
                continue
            path = storage.join(self.folder or ".", name)
            try:
                info = read_checkpoint_info(path)
            except (OSError, ValueError):
                continue  # damaged or not a checkpoint: never counted
            entry = CheckpointEntry.from_json({**info, "path": path})
            if info.get("monitor") != monitor:
                entry.value = None
            entries.append(entry)
        last = max(entries, key=lambda entry: entry.time).path if entries else None
        return {"filepath": self.filepath, "monitor": monitor, "entries": entries, "last_path": last}


def _save_arguments(save, metadata):
    """`metadata=` when the program's save method takes it (a user's own save may not; Keras passes
    `overwrite=True` instead)."""
    try:
        parameters = inspect.signature(save).parameters
    except (TypeError, ValueError):
        return {"metadata": metadata}
    if "metadata" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        return {"metadata": metadata}
    return {"overwrite": True} if "overwrite" in parameters else {}
