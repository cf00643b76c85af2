"""Which checkpoint files to keep: pure functions of the table of files."""

import math

from synalinks.saving import storage
from synalinks.utils.checks import check_positive_int


def check_retention(save_top_k, max_to_keep, filepath):
    """Refuses retention arguments that are not counts, or a filepath that can name only one file."""
    if save_top_k is not None and save_top_k != -1:
        check_positive_int(save_top_k, "save_top_k", also="-1")
    if max_to_keep is not None:
        check_positive_int(max_to_keep, "max_to_keep")
    if (save_top_k is not None or max_to_keep is not None) and "{" not in storage.basename(filepath):
        raise ValueError(
            f"`{'save_top_k' if save_top_k is not None else 'max_to_keep'}` keeps several files, so the filepath "
            f"needs format fields such as 'ckpt-{{epoch:02d}}.json'; got '{filepath}'."
        )


def is_scored(entry):
    return isinstance(entry.value, (int, float)) and not isinstance(entry.value, bool) and math.isfinite(entry.value)


def best_entries(entries, k, maximize):
    """The `k` best scored entries, best first (`k=-1`: all of them)."""
    scored = sorted((entry for entry in entries if is_scored(entry)), key=lambda entry: entry.value, reverse=maximize)
    return scored if k == -1 else scored[:k]


def best_k_paths(entries, checkpoint):
    """`{path: value}` of the `save_top_k` best existing files (the best one when it is None)."""
    existing = [entry for entry in entries if storage.isfile(entry.path)]
    k = -1 if checkpoint.save_top_k == -1 else (checkpoint.save_top_k or 1)
    return {entry.path: entry.value for entry in best_entries(existing, k, checkpoint.maximize)}


def files_to_delete(entries, save_top_k, max_to_keep, maximize, protected):
    """The paths of this run's files that neither `save_top_k` nor `max_to_keep` keeps.

    Files written by other runs and the `protected` paths (the newest file,
    the one the run resumed from) are never among them.

    Example:

    ```python
    from synalinks.callbacks.checkpoint_manifest import CheckpointEntry

    scores = [(1, 0.5), (2, 0.9), (3, 0.4)]
    entries = [CheckpointEntry(f"ckpt-{n}.json", value, n, this_run=True) for n, value in scores]
    files_to_delete(entries, save_top_k=1, max_to_keep=None, maximize=True, protected={"ckpt-3.json"})  # ["ckpt-1.json"]
    ```
    """
    if save_top_k is None and max_to_keep is None:
        return []
    ours = [entry for entry in entries if entry.this_run]
    keep = set(protected)
    if save_top_k is not None:
        kept = ours if save_top_k == -1 else best_entries(ours, save_top_k, maximize)
        keep.update(entry.path for entry in kept)
    if max_to_keep is not None:
        keep.update(entry.path for entry in sorted(ours, key=lambda entry: entry.time)[-max_to_keep:])
    return [entry.path for entry in ours if entry.path not in keep]


def entries_to_remember(entries, needed, checkpoint):
    """The table entries a callback still needs: the `needed` paths and the newest `max_to_keep` (or 1).

    Files left out stay on disk; they stop counting, so the manifest stays small.
    """
    save_top_k, max_to_keep = checkpoint.save_top_k, checkpoint.max_to_keep
    if save_top_k == -1:
        return list(entries)
    needed = set(needed)
    needed.update(entry.path for entry in sorted(entries, key=lambda entry: entry.time)[-(max_to_keep or 1) :])
    return [entry for entry in entries if entry.path in needed]


def apply_retention(entries, checkpoint, protected, log=None):
    """Deletes the files `files_to_delete` chooses for a `ProgramCheckpoint`; returns the entries left.

    Only a file the callback's template names inside its folder is ever removed.
    """
    deleted = files_to_delete(entries, checkpoint.save_top_k, checkpoint.max_to_keep, checkpoint.maximize, protected)
    for path in deleted:
        if checkpoint.manifest.owns(path) and storage.isfile(path):
            storage.remove(path)
            if log is not None:
                log(f"Removed {path} (retention)")
    return [entry for entry in entries if entry.path not in deleted]
