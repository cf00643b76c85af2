"""`BackupAndRestore`: resume an interrupted `fit` exactly where it stopped."""

import hashlib
import json
import warnings

from synalinks.callbacks.callback import Callback
from synalinks.callbacks.folder_lock import FolderLock
from synalinks.callbacks.save_schedule import SaveSchedule
from synalinks.language_models.response_cache import ResponseCache
from synalinks.saving import storage
from synalinks.saving.file_format import BACKUP_FORMAT, read_json_file, write_json_file


def program_fingerprint(program):
    """A hash of the program's architecture: its modules' classes and variables' schemas, in order.

    Names are left out: the same program built again in another process (or
    twice in one) gets other automatic names but the same fingerprint.
    """
    parts = [type(program).__name__]
    for module in [program, *program.modules]:
        variables = [(variable.name, variable.get_schema()) for variable in module._own_variables]
        parts.append([type(module).__name__, variables])
    outputs = getattr(program, "_outputs", None)
    if outputs is not None:
        parts.append([output.get_schema() for output in (outputs if isinstance(outputs, (list, tuple)) else [outputs])])
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


class _ArchitectureMismatchError(ValueError):
    pass


BACKUP_SECTIONS = ("fingerprint", "position", "variables", "optimizer_state", "metric_states", "callback_states")


def _digest(document):
    """A hash of a backup's sections: any damage inside the file, even valid JSON, changes it."""
    sections = {key: document.get(key) for key in BACKUP_SECTIONS}
    return hashlib.sha256(json.dumps(sections, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _check_backup(document, path):
    """Raises ValueError naming what is damaged in a backup document."""
    for key in BACKUP_SECTIONS:
        if key not in document:
            raise ValueError(f"'{path}' is damaged: it has no '{key}' section.")
    if document.get("digest") != _digest(document):
        raise ValueError(f"'{path}' is damaged: its content does not match the digest written with it.")


class BackupAndRestore(Callback):
    """Backs up everything that decides what `fit` does next, and resumes from it.

    A backup holds the program's variables, the optimizer's state (populations,
    scores, random generator), the position in training (epoch, batches done
    in it, and the shuffling state that gives the epoch's data order), the
    metrics' accumulated state, the state of the other callbacks
    (`ProgramCheckpoint`, `EarlyStopping`, ...) and the History so far. When
    `fit` is called again with this callback after a crash, it goes on from
    the last backup, mid-epoch included, and ends with the same variables and
    History as an uninterrupted run (same seed, same LM replies).

    Replies of the program's language models are cached in the backup folder
    (`lm_cache/`) while it trains, so the work done before a crash is replayed
    without LM calls.

    What is backed up is `program.get_training_state()`: each callback
    takes part through its `get_state()` / `set_state()`.

    Args:
        backup_dir: The backup folder (a local path or an fsspec URL).
        save_freq: "epoch", an integer N (back up every N training batches),
            or a time interval (`"15min"`, a `timedelta`); with the last two,
            a backup is also taken at each epoch's end.
        double_checkpoint: Keep the previous backup too, and fall back to it
            (with a warning) when the latest is damaged.
        delete_checkpoint: Delete the backup (and the LM replies it cached)
            when `fit` ends successfully. Only files this callback wrote are
            removed: anything else in the folder, a language model's own
            `cache_dir` there included, is kept.
        cache_lm_responses: Cache LM replies in the backup folder (local folders only).

    Example:

    ```python
    backup = synalinks.callbacks.BackupAndRestore(backup_dir="/tmp/backup", save_freq=1)
    program.fit(x, y, epochs=10, seed=0, callbacks=[backup])  # killed? run the same line again
    ```
    """

    runs_last = True  # its backup must include the other callbacks' state after each hook

    def __init__(
        self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True, cache_lm_responses=True
    ):
        super().__init__()
        self.backup_dir = storage.local_path(backup_dir) if not storage.is_url(backup_dir) else str(backup_dir)
        self._schedule = SaveSchedule(save_freq)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self.cache_lm_responses = cache_lm_responses
        self.latest_path = storage.join(self.backup_dir, "backup.json")
        self.previous_path = storage.join(self.backup_dir, "backup.previous.json")
        self.cache_dir = storage.join(self.backup_dir, "lm_cache")
        self._lock = FolderLock(self.backup_dir)
        self._interrupted = False
        self._cache = None
        self._cached_models = []
        self.resumed = False

    # Reading a backup

    def _restore_latest(self):
        """Restores the latest good backup, falling back to the previous one; returns it, or None when there is none.

        A backup that cannot be read or whose content is malformed counts as
        damaged; one made by another architecture is refused outright.
        """
        candidates = [self.latest_path] + ([self.previous_path] if self.double_checkpoint else [])
        errors = []
        for path in candidates:
            if not storage.exists(path):
                continue
            try:
                document = read_json_file(path, BACKUP_FORMAT)
                _check_backup(document, path)
                if document["fingerprint"] != program_fingerprint(self.program):
                    raise _ArchitectureMismatchError(
                        f"The backup in '{self.backup_dir}' was made by a program of another architecture; "
                        "resume with the same program, or use another backup_dir."
                    )
                self._restore(document, path)
            except _ArchitectureMismatchError:
                raise
            except Exception as error:  # any damage: try the previous backup
                errors.append(f"{type(error).__name__}: {str(error)[:300]}")
                continue
            if errors:
                warnings.warn(
                    f"The latest backup is damaged ({errors[0]}); resuming from the previous one: {path}.", stacklevel=3
                )
            return document
        if errors:
            raise ValueError(
                f"The backup in '{self.backup_dir}' cannot be read ({'; '.join(errors)}). Refusing to train from scratch "
                "over it: repair or delete the folder (or use double_checkpoint=True to keep a previous backup)."
            )
        return None

    def _restore(self, document, path):
        self.program.set_training_state(document, source=path)
        self.resumed = True

    # Writing a backup

    def _backup(self):
        body = {"fingerprint": program_fingerprint(self.program), **self.program.get_training_state()}
        body["digest"] = _digest(body)
        if self.double_checkpoint and storage.exists(self.latest_path):
            storage.write_text(self.previous_path, storage.read_text(self.latest_path))
        write_json_file(self.latest_path, BACKUP_FORMAT, body)

    # Hooks

    def on_train_begin(self, logs=None):
        self._interrupted = False
        self._lock.acquire()
        if self.cache_lm_responses and not storage.is_url(self.backup_dir):  # the cache is a local folder
            self._cache = ResponseCache(self.cache_dir, record_keys=True)
            for language_model in self.program.language_models():
                if language_model.attach_cache(self._cache):
                    self._cached_models.append(language_model)
        document = self._restore_latest()
        if document is not None:
            position = document["position"]
            print(
                f"BackupAndRestore: resuming from '{self.latest_path}' at epoch {position['epoch'] + 1}, "
                f"after {position['step']} batch(es) of it."
            )
        self._schedule = SaveSchedule(self.save_freq)  # counting starts again with each fit

    def on_train_batch_end(self, batch, logs=None):
        if self._schedule.batch_ended(batch):
            self._backup()

    def on_epoch_end(self, epoch, logs=None):
        if self._interrupted:  # the epoch was cut short (SIGTERM, the call budget): the last backup stands
            return
        # Also with a batch or time frequency: the validation just done is never redone.
        self._schedule.epoch_ended()
        self._schedule.saved()
        self._backup()

    def _detach(self):
        for language_model in self._cached_models:
            language_model.detach_cache(self._cache)
        self._cached_models = []
        self._lock.release()

    def on_train_interrupted(self, reason, logs=None):
        self._interrupted = True
        self._detach()

    def interruption_note(self):
        if not self._interrupted or not storage.exists(self.latest_path):
            return None
        return f"a backup is in {self.backup_dir}: run the same fit again to resume from it"

    def on_train_end(self, logs=None):
        self._detach()
        if self.delete_checkpoint and not self._interrupted:  # a run stopped early is resumed from its backup
            for path in (self.latest_path, self.previous_path):
                if storage.exists(path):
                    storage.remove(path)
            if self._cache is not None:
                self._cache.remove_recorded()
