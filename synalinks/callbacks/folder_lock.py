"""`FolderLock`: one training run writes a checkpoint folder at a time."""

import datetime
import json
import os
import socket
import uuid

from synalinks.saving import storage

LOCK_NAME = ".synalinks.lock"
_held = {}  # lock path -> (run_id, count) for the locks this process holds


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class FolderLockedError(RuntimeError):
    """Another run is writing the same checkpoint folder."""


class FolderLock:
    """A lock file in a folder naming the run that writes it.

    Acquiring it fails fast with `FolderLockedError` when another live
    process holds it; a lock left by a process that died is taken over (with
    a warning). Several callbacks of one process share it.

    Args:
        folder: The folder to lock.
    """

    def __init__(self, folder):
        self.folder = folder
        self.path = storage.join(folder, LOCK_NAME)

    def _read(self):
        try:
            return json.loads(storage.read_text(self.path))
        except (OSError, ValueError):
            return None

    def acquire(self):
        """Takes the lock, or raises `FolderLockedError` naming the run that holds it."""
        import warnings

        held = _held.get(self.path)
        if held is not None:
            _held[self.path] = (held[0], held[1] + 1)
            return
        owner = self._read() if storage.exists(self.path) else None
        host = socket.gethostname()
        if owner is not None:
            same_host = owner.get("host") == host
            if not same_host or _process_alive(int(owner.get("pid", -1))):
                raise FolderLockedError(
                    f"The checkpoint folder '{self.folder}' is being written by another run "
                    f"(pid {owner.get('pid')} on {owner.get('host')}, started {owner.get('started')}). "
                    "Use another folder, or delete "
                    f"'{self.path}' if that run is no longer running."
                )
            warnings.warn(
                f"Taking over the lock of a run that died (pid {owner.get('pid')}) on '{self.folder}'.", stacklevel=3
            )
        run_id = uuid.uuid4().hex
        storage.makedirs(self.folder)
        content = {
            "pid": os.getpid(),
            "host": host,
            "run_id": run_id,
            "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
        storage.write_text(self.path, json.dumps(content))
        written = self._read()
        if written is None or written.get("run_id") != run_id:
            raise FolderLockedError(
                f"Another run took the lock of '{self.folder}' at the same moment; use another folder."
            )
        _held[self.path] = (run_id, 1)

    def release(self):
        """Gives the lock back (the file is removed when the last holder of this process releases it)."""
        held = _held.get(self.path)
        if held is None:
            return
        if held[1] > 1:
            _held[self.path] = (held[0], held[1] - 1)
            return
        del _held[self.path]
        owner = self._read()
        if owner is not None and owner.get("run_id") == held[0]:
            try:
                storage.remove(self.path)
            except OSError:
                pass
