"""`CheckpointManifest`: the record of a ProgramCheckpoint's files, kept in their folder."""

import hashlib
import json
import re

from synalinks.saving import storage
from synalinks.saving.checkpoint_info import read_checkpoint_info

MANIFEST_FORMAT = "synalinks.checkpoint_manifest"
_TEMPORARY = re.compile(r"^\..+\.tmp$")


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
        """The saved state, or None when the manifest is missing, damaged or for another template."""
        try:
            document = json.loads(storage.read_text(self.path))
        except (OSError, ValueError):
            return None
        if not isinstance(document, dict) or document.get("format") != MANIFEST_FORMAT:
            return None
        state = document.get("state")
        if (
            not isinstance(state, dict)
            or state.get("filepath") != self.filepath
            or not isinstance(state.get("entries"), list)
        ):
            return None
        if not all(isinstance(entry, dict) and isinstance(entry.get("path"), str) for entry in state["entries"]):
            return None
        return state

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

    def sweep_temporary_files(self):
        """Removes the temporary files a killed run left in the folder."""
        for name in storage.listdir(self.folder or "."):
            if _TEMPORARY.match(name):
                try:
                    storage.remove(storage.join(self.folder or ".", name))
                except OSError:
                    pass
