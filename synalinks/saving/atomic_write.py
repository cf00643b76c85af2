"""Atomic file writes: a reader sees the old file or the new one, never a torn one."""

import os
import re
import tempfile
import uuid

# Names this process's temporary files, so that a later run can tell the ones
# a killed writer left (its id is in the folder's lock file) from anyone else's.
WRITER_ID = uuid.uuid4().hex[:16]
_TEMPORARY_NAME = re.compile(r"^\..+\.synalinks-([0-9a-f]{16})-[^.]+\.tmp$")


def atomic_write_text(path, text):
    """Writes `text` to `path` atomically, creating missing folders.

    The text goes to a temporary file in the same folder, is flushed and
    fsynced, then renamed over `path` with `os.replace`; the folder is fsynced
    so the rename survives a power cut. If anything fails, `path` is left as it
    was and the temporary file is removed.

    Args:
        path: Destination path (str or PathLike).
        text: The content.

    Example:

    ```python
    atomic_write_text("/tmp/run/state.json", '{"epoch": 3}')
    ```
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temp_path = tempfile.mkstemp(dir=folder, prefix=temporary_prefix(path), suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp_path, path)
    except BaseException:
        try:
            os.unlink(temp_path)
        except FileNotFoundError:
            pass
        raise
    _fsync_folder(folder)


def temporary_prefix(path):
    """The start of the name of a temporary file that will become `path`."""
    return f".{os.path.basename(path)}.synalinks-{WRITER_ID}-"


def remove_temporary_files(folder, writer_id):
    """Removes the temporary files that the writer `writer_id` left in `folder`.

    Only names made by `atomic_write_text` with that writer's id are touched;
    returns the number of files removed.
    """
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        match = _TEMPORARY_NAME.match(name)
        if match is None or match.group(1) != writer_id:
            continue
        try:
            os.remove(os.path.join(folder, name))
            removed += 1
        except OSError:
            pass
    return removed


def _fsync_folder(folder):
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
