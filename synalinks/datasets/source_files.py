"""The files a dataset reads: one path, a list of paths, or every matching file under a folder."""

import os

from synalinks.saving import storage


def source_files(path, suffix=None, recursive=True):
    """The files named by `path` (a path or fsspec URL, a list of them, or a folder read for `suffix` files).

    Raises:
        FileNotFoundError: naming the first path that does not exist.
    """
    if not isinstance(path, (str, os.PathLike, list, tuple)) and path is not None:
        raise TypeError(f"`path` must be a path, a list of paths or a folder, got {type(path).__name__}.")
    paths = [path] if isinstance(path, (str, os.PathLike)) else list(path or [])
    for entry in paths:
        if not isinstance(entry, (str, os.PathLike)):
            raise TypeError(f"`path` must hold paths (strings), got {type(entry).__name__} {entry!r:.60}.")
    if not paths:
        raise ValueError("A dataset needs at least one file: give `path` (a file, a list of files or a folder).")
    files = []
    for entry in paths:
        entry = os.fspath(entry)
        if suffix is not None and storage.isdir(entry):
            files.extend(storage.files_under(entry, suffix, recursive=recursive))
        elif storage.isfile(entry):
            files.append(entry)
        else:
            raise FileNotFoundError(f"`path`: no such dataset file or folder: '{entry}'.")
    return files
