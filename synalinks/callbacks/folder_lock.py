"""`FolderLock`: one training run writes a checkpoint folder at a time."""

import datetime
import json
import os
import socket
import threading
import uuid
import warnings

from synalinks.saving import storage
from synalinks.saving.atomic_write import WRITER_ID, remove_temporary_files

LOCK_NAME = ".synalinks.lock"
_held: dict[str, list] = {}  # lock path -> [run_id, count, descriptor] for the locks this process holds
_held_guard = threading.Lock()


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


class FolderLockedError(RuntimeError):
    """Another run is writing the same checkpoint folder."""


def _locked_message(folder, path, owner):
    owner = owner if isinstance(owner, dict) else {}
    return (
        f"The checkpoint folder '{folder}' is being written by another run "
        f"(pid {str(owner.get('pid'))[:20]} on {str(owner.get('host'))[:80]}, started {str(owner.get('started'))[:40]}). "
        f"Use another folder, or wait for that run to end."
    )


class FolderLock:
    """A lock file in a folder naming the run that writes it.

    On a local folder the lock is taken atomically with `fcntl.flock` on the
    lock file: of any number of processes trying at the same instant, exactly
    one gets it, and the kernel gives it back when its process dies, so a lock
    left by a killed run is taken over (with a warning) and the temporary
    files that run left in the folder are removed. Several callbacks of one
    process share the lock.

    On an fsspec store (`s3://`, `memory://`, ...) there is no such primitive:
    the lock file is written, then read back, which stops a second run that
    starts later but not one that starts in the same instant.

    Args:
        folder: The folder to lock.

    Example:

    ```python
    lock = FolderLock("/tmp/checkpoints")
    lock.acquire()  # raises FolderLockedError if another live run holds it
    lock.release()
    ```
    """

    def __init__(self, folder):
        self.folder = folder
        # Absolute, so that "ckpt" and "./ckpt" are one lock for this process.
        location = folder if storage.is_url(folder or ".") else os.path.abspath(storage.local_path(folder or "."))
        self.path = storage.join(location, LOCK_NAME)
        self._acquired = False

    @property
    def held(self):
        """True while this instance holds the lock (`acquire` and `release` are no-ops when repeated)."""
        return self._acquired

    def _read(self):
        try:
            owner = json.loads(storage.read_text(self.path))
        except (OSError, ValueError, RecursionError):
            return None
        return owner if isinstance(owner, dict) else None

    def _content(self, run_id):
        return json.dumps(
            {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "run_id": run_id,
                "writer_id": WRITER_ID,
                "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            }
        )

    def acquire(self):
        """Takes the lock, or raises `FolderLockedError` naming the run that holds it."""
        if self._acquired:
            return
        with _held_guard:
            held = _held.get(self.path)
            if held is not None:
                held[1] += 1
                self._acquired = True
                return
            run_id = uuid.uuid4().hex
            storage.makedirs(self.folder or ".")
            if storage.is_url(self.path):
                descriptor = self._acquire_on_store(run_id)
            else:
                descriptor = self._acquire_locally(run_id)
            _held[self.path] = [run_id, 1, descriptor]
            self._acquired = True

    def _acquire_locally(self, run_id):
        import fcntl

        path = storage.local_path(self.path)
        while True:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                raise FolderLockedError(_locked_message(self.folder, self.path, self._read())) from None
            try:
                same_file = os.fstat(descriptor).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same_file = False
            if same_file:
                break
            # The holder removed the file between our open and our flock: try again on the new one.
            os.close(descriptor)
        previous = self._read()
        if previous is not None and previous.get("run_id"):
            warnings.warn(
                f"Taking over the lock of a run that died (pid {str(previous.get('pid'))[:20]}) on '{self.folder}'.",
                stacklevel=4,
            )
            if isinstance(previous.get("writer_id"), str):
                remove_temporary_files(self.folder or ".", previous["writer_id"])
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, self._content(run_id).encode("utf-8"), 0)
        os.fsync(descriptor)
        return descriptor

    def _acquire_on_store(self, run_id):
        owner = self._read() if storage.exists(self.path) else None
        if owner is not None:
            same_host = owner.get("host") == socket.gethostname()
            try:
                alive = _process_alive(int(owner.get("pid", -1)))
            except (TypeError, ValueError):
                alive = False
            if not same_host or alive:
                raise FolderLockedError(_locked_message(self.folder, self.path, owner))
            warnings.warn(
                f"Taking over the lock of a run that died (pid {owner.get('pid')}) on '{self.folder}'.", stacklevel=4
            )
        storage.write_text(self.path, self._content(run_id))
        written = self._read()
        if written is None or written.get("run_id") != run_id:
            raise FolderLockedError(
                f"Another run took the lock of '{self.folder}' at the same moment; use another folder."
            )
        return None

    def release(self):
        """Gives the lock back (the file is removed when the last holder of this process releases it)."""
        if not self._acquired:
            return
        self._acquired = False
        with _held_guard:
            held = _held.get(self.path)
            if held is None:
                return
            if held[1] > 1:
                held[1] -= 1
                return
            del _held[self.path]
            run_id, _, descriptor = held
            owner = self._read()
            if owner is not None and owner.get("run_id") == run_id:
                try:
                    storage.remove(self.path)
                except OSError:
                    pass
            if descriptor is not None:
                os.close(descriptor)  # after the removal: nobody can lock the old file meanwhile
