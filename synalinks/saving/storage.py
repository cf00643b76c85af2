"""File operations on local paths and fsspec URLs (`memory://`, `s3://`, `gs://`, ...).

Local paths use `os`; URLs use fsspec (imported on first use), which must
have the backend for the URL's protocol installed (e.g. `s3fs` for `s3://`).
`file://` URLs are treated as local paths.
"""

import os
import posixpath


def is_url(path):
    """True for an fsspec URL other than `file://`."""
    return "://" in os.fspath(path) and not os.fspath(path).startswith("file://")


def local_path(path):
    path = os.fspath(path)
    return path[len("file://") :] if path.startswith("file://") else path


def _filesystem(path):
    import fsspec

    return fsspec.core.url_to_fs(path)


def join(folder, name):
    return posixpath.join(folder, name) if is_url(folder) else os.path.join(local_path(folder), name)


def dirname(path):
    path = os.fspath(path)
    if is_url(path):
        protocol, rest = path.split("://", 1)
        return f"{protocol}://{posixpath.dirname(rest)}"
    return os.path.dirname(local_path(path))


def basename(path):
    return posixpath.basename(os.fspath(path)) if is_url(path) else os.path.basename(local_path(path))


def exists(path):
    if is_url(path):
        fs, fs_path = _filesystem(path)
        return fs.exists(fs_path)
    return os.path.exists(local_path(path))


def isfile(path):
    if is_url(path):
        fs, fs_path = _filesystem(path)
        return fs.isfile(fs_path)
    return os.path.isfile(local_path(path))


def isdir(path):
    if is_url(path):
        fs, fs_path = _filesystem(path)
        return fs.isdir(fs_path)
    return os.path.isdir(local_path(path))


def makedirs(path):
    if is_url(path):
        fs, fs_path = _filesystem(path)
        fs.makedirs(fs_path, exist_ok=True)
    else:
        os.makedirs(local_path(path) or ".", exist_ok=True)


def listdir(path):
    """The names of the entries of a folder (empty when it does not exist)."""
    if is_url(path):
        fs, fs_path = _filesystem(path)
        if not fs.isdir(fs_path):
            return []
        return [posixpath.basename(entry.rstrip("/")) for entry in fs.ls(fs_path, detail=False)]
    folder = local_path(path) or "."
    return os.listdir(folder) if os.path.isdir(folder) else []


def getmtime(path):
    if is_url(path):
        fs, fs_path = _filesystem(path)
        modified = fs.modified(fs_path)
        return modified.timestamp()
    return os.path.getmtime(local_path(path))


def remove(path):
    if is_url(path):
        fs, fs_path = _filesystem(path)
        fs.rm(fs_path)
    else:
        os.remove(local_path(path))


def read_text(path):
    if is_url(path):
        fs, fs_path = _filesystem(path)
        with fs.open(fs_path, "rb") as file:
            return file.read().decode("utf-8")
    with open(local_path(path), encoding="utf-8") as file:
        return file.read()


def write_text(path, text):
    """Writes `text` to `path` atomically: a local temporary file renamed over
    the target, or one whole-object write on a remote store."""
    if is_url(path):
        fs, fs_path = _filesystem(path)
        parent = posixpath.dirname(fs_path)
        if parent:
            fs.makedirs(parent, exist_ok=True)
        fs.pipe_file(fs_path, text.encode("utf-8"))
        return
    from synalinks.saving.atomic_write import atomic_write_text

    atomic_write_text(local_path(path), text)


def open_text(path, encoding="utf-8"):
    """`path` (a local path or fsspec URL) opened for reading as text, streamed (not read whole)."""
    if is_url(path):
        import io

        fs, fs_path = _filesystem(path)
        return io.TextIOWrapper(fs.open(fs_path, "rb"), encoding=encoding, newline="")
    return open(local_path(path), encoding=encoding, newline="")


def files_under(root, suffix, recursive=True):
    """The files under folder `root` whose name ends with `suffix` (case-insensitive), sorted, so a
    corpus reads in the same order on every machine."""
    suffix = suffix.lower()
    if is_url(root):
        fs, fs_path = _filesystem(root)
        found = fs.find(fs_path) if recursive else fs.ls(fs_path, detail=False)
        return sorted(fs.unstrip_protocol(name) for name in found if name.lower().endswith(suffix) and fs.isfile(name))
    root = local_path(root)
    if not recursive:
        return sorted(
            os.path.join(root, name)
            for name in os.listdir(root)
            if name.lower().endswith(suffix) and os.path.isfile(os.path.join(root, name))
        )
    return sorted(
        os.path.join(folder, name)
        for folder, _, names in os.walk(root)
        for name in names
        if name.lower().endswith(suffix)
    )


def open_binary(path):
    """`path` (a local path or fsspec URL) opened for reading bytes, streamed."""
    if is_url(path):
        fs, fs_path = _filesystem(path)
        return fs.open(fs_path, "rb")
    return open(local_path(path), "rb")
