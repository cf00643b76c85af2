"""`BackupAndRestore`: resume an interrupted `fit` exactly where it stopped."""

import hashlib
import json
import random
import warnings

from synalinks.callbacks.callback import Callback
from synalinks.callbacks.folder_lock import FolderLock
from synalinks.language_models.response_cache import ResponseCache
from synalinks.programs.program_files import assign_variables_payload, variables_payload
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


def _check_backup(document, path):
    """Raises ValueError naming what is malformed in a backup document."""
    for key in ("fingerprint", "position", "variables", "history"):
        if key not in document:
            raise ValueError(f"'{path}' is damaged: it has no '{key}' section.")
    position = document["position"]
    if not isinstance(position, dict) or not {"epoch", "step", "rng_state"} <= set(position):
        raise ValueError(f"'{path}' is damaged: its position is malformed.")
    for key in ("epoch", "step"):
        if not isinstance(position[key], int) or isinstance(position[key], bool) or position[key] < 0:
            raise ValueError(f"'{path}' is damaged: position.{key} must be an integer, 0 or more.")
    try:
        version, internal, gauss = position["rng_state"]
        random.Random().setstate((version, tuple(internal), gauss))
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"'{path}' is damaged: position.rng_state is malformed.") from None
    for key in ("metric_states", "callback_states"):
        value = document.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(item, dict) for item in value)):
            raise ValueError(f"'{path}' is damaged: '{key}' must be a list of objects.")
    for entry in document.get("callback_states") or []:
        if not isinstance(entry.get("class"), str) or not isinstance(entry.get("index"), int):
            raise ValueError(f"'{path}' is damaged: a callback state has no class or index.")


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

    Args:
        backup_dir: The backup folder (a local path or an fsspec URL).
        save_freq: "epoch", or an integer N: back up every N training batches
            (and at each epoch's end).
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
        if save_freq != "epoch" and (not isinstance(save_freq, int) or isinstance(save_freq, bool) or save_freq < 1):
            raise ValueError(f"BackupAndRestore save_freq must be 'epoch' or a positive integer, got {save_freq!r}.")
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self.cache_lm_responses = cache_lm_responses
        self.latest_path = storage.join(self.backup_dir, "backup.json")
        self.previous_path = storage.join(self.backup_dir, "backup.previous.json")
        self.cache_dir = storage.join(self.backup_dir, "lm_cache")
        self._lock = FolderLock(self.backup_dir)
        self._lock_held = False
        self._interrupted = False
        self._cache = None
        self._cached_models = []
        self._batches_since_backup = 0
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
        program = self.program
        assign_variables_payload(program, document["variables"], path)
        if document.get("optimizer_state") and program.optimizer is not None:
            program.optimizer.set_state(document["optimizer_state"])
        position = document["position"]
        if position["step"] > 0:
            for metric, state in zip(program.metrics, document.get("metric_states") or []):
                metric.set_state(state)
        states = {(entry["class"], entry["index"]): entry["state"] for entry in document.get("callback_states") or []}
        for key, callback in self._stateful_callbacks():
            if key in states:
                callback.set_state(states[key])
        program.history.set_state(document["history"])
        program._resume_position = position
        self.resumed = True

    # Writing a backup

    def _stateful_callbacks(self):
        callbacks = getattr(self.program, "_callbacks", None)
        counts = {}
        for callback in getattr(callbacks, "callbacks", []):
            if callback is self or not hasattr(callback, "get_state") or type(callback).__name__ == "History":
                continue
            name = type(callback).__name__
            index = counts.get(name, 0)
            counts[name] = index + 1
            yield (name, index), callback

    def _backup(self):
        program = self.program
        body = {
            "fingerprint": program_fingerprint(program),
            "position": program._fit_position,
            "variables": variables_payload(program),
            "optimizer_state": program.optimizer.get_state() if program.optimizer is not None else None,
            "metric_states": [metric.get_state() for metric in program.metrics],
            "callback_states": [
                {"class": name, "index": index, "state": callback.get_state()}
                for (name, index), callback in self._stateful_callbacks()
            ],
            "history": program.history.get_state(),
        }
        if self.double_checkpoint and storage.exists(self.latest_path):
            storage.write_text(self.previous_path, storage.read_text(self.latest_path))
        write_json_file(self.latest_path, BACKUP_FORMAT, body)

    # Hooks

    def on_train_begin(self, logs=None):
        self._interrupted = False
        self._lock.acquire()
        self._lock_held = True
        if self.cache_lm_responses and not storage.is_url(self.backup_dir):  # the cache is a local folder
            self._cache = ResponseCache(self.cache_dir, record_keys=True)
            for language_model in self.program.language_models():
                if language_model._cache is None:
                    language_model._cache = self._cache
                    self._cached_models.append(language_model)
        document = self._restore_latest()
        if document is not None:
            position = document["position"]
            print(
                f"BackupAndRestore: resuming from '{self.latest_path}' at epoch {position['epoch'] + 1}, "
                f"after {position['step']} batch(es) of it."
            )
        self._batches_since_backup = 0

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_since_backup += 1
        if self._batches_since_backup >= self.save_freq:
            self._batches_since_backup = 0
            self._backup()

    def on_epoch_end(self, epoch, logs=None):
        if self._interrupted:  # the epoch was cut short (SIGTERM, the call budget): the last backup stands
            return
        # Also with a batch frequency: the validation just done is never redone.
        self._batches_since_backup = 0
        self._backup()

    def _detach(self):
        for language_model in self._cached_models:
            language_model._cache = None
        self._cached_models = []
        if self._lock_held:
            self._lock_held = False
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
