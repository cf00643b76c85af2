"""Atomic file writes: a reader sees the old file or the new one, never a torn one."""

import os
import tempfile


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
    handle, temp_path = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
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
