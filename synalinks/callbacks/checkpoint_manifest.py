"""`CheckpointManifest`: the record of a ProgramCheckpoint's files, kept in their folder."""

import hashlib
import json
import re

from synalinks.saving import storage
from synalinks.saving.checkpoint_info import read_checkpoint_info

MANIFEST_FORMAT = "synalinks.checkpoint_manifest"


def pattern_regex(basename_template):
    """A regex matching the file names a filepath template can produce (each format field matches anything)."""
    parts = re.split(r"\{[^{}]*\}", basename_template)
    return re.compile("^" + ".*".join(re.escape(part) for part in parts) + "$")


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
        """`state` with only well-formed entries for files this template owns, or None when it is malformed."""
        if (
            not isinstance(state, dict)
            or state.get("filepath") != self.filepath
            or not isinstance(state.get("entries"), list)
        ):
            return None
        for key in ("global_step", "batches_seen_since_last_saving", "last_batch_seen"):
            if key in state and (not isinstance(state[key], int) or isinstance(state[key], bool)):
                return None
        for key in ("best_path", "last_path"):
            if state.get(key) is not None and not isinstance(state[key], str):
                return None
        entries = []
        for entry in state["entries"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or not self.owns(entry["path"]):
                continue
            value = entry.get("value")
            if isinstance(value, bool) or not isinstance(value, (int, float, type(None))):
                value = None
            moment = entry.get("time")
            moment = moment if isinstance(moment, (int, float)) and not isinstance(moment, bool) else 0
            entries.append({**entry, "value": value, "time": moment, "this_run": False})
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
        """Table entries for the complete files in the folder that the template could have written."""
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
            value = info.get("value") if info.get("monitor") == monitor else None
            entries.append(
                {
                    "path": path,
                    "value": value if isinstance(value, (int, float)) else None,
                    "epoch": info.get("epoch"),
                    "batch": info.get("batch"),
                    "global_step": info.get("global_step"),
                    "time": info.get("time") or 0,
                    "this_run": False,
                }
            )
        return entries
