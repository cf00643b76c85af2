"""`ProgramCheckpoint`: saves the program, or its variables, while it trains."""

import math
import numbers
import os
import time
import warnings

from synalinks.callbacks.callback import Callback
from synalinks.callbacks.checkpoint_manifest import CheckpointManifest, pattern_regex
from synalinks.callbacks.folder_lock import FolderLock
from synalinks.callbacks.monitor_direction import check_mode, higher_is_better
from synalinks.callbacks.save_frequency import parse_save_freq
from synalinks.saving import storage


def _is_scalar(value):
    if isinstance(value, numbers.Number):
        return True
    return getattr(value, "ndim", None) == 0 or getattr(value, "shape", None) == ()


def _json_safe(logs):
    """The logs as JSON values: numbers as floats or ints, anything else as text."""
    safe = {}
    for key, value in (logs or {}).items():
        if isinstance(value, bool) or value is None or isinstance(value, str):
            safe[key] = value
        elif _is_scalar(value):
            number = float(value)
            safe[key] = number if math.isfinite(number) else str(number)
        else:
            safe[key] = str(value)
    return safe


class ProgramCheckpoint(Callback):
    """Saves the program, or only its variables, at some frequency during `fit`.

    Used with `program.fit()`, it writes a checkpoint at the end of every epoch
    or after every N training batches, so that the program or its variables
    can be loaded later, to use the best program found or to go on training
    from there. Options:

    - keep only the best program seen so far (`save_best_only=True`), or save
      at every opportunity;
    - what "best" means: the quantity to `monitor` and whether it should be
      maximised or minimised (`mode`);
    - how often to save (`save_freq`);
    - the whole program (architecture, variables, compile configuration) or
      only its variables (`save_variables_only=True`).

    Every file is written atomically: a crash during a write leaves the
    previous checkpoint intact. Each file records the epoch, batch, monitored
    value and logs that it was written with (`program.checkpoint_info` after
    `load_program`).

    Args:
        filepath: Where to save (str or PathLike). It may contain format
            fields filled from `epoch` (from 1), `batch` (from 1) and the keys
            of the logs, e.g. `ckpt-{epoch:02d}-{val_reward:.2f}.json`; the
            file then depends on them, otherwise it is overwritten each time.
            It must end in `.json`, or in `.variables.json` with
            `save_variables_only=True`. Missing folders are created.
        monitor: The log key to monitor: `reward`, a metric's name, or
            either with `val_` for validation (default `"val_reward"`).
        verbose: 0 is silent; 1 prints a message at each save and each time
            the monitored value did not improve.
        save_best_only: Save only when the monitored value improves on the
            best so far; with a filepath without format fields, the file
            always holds the best program.
        mode: `"max"`, `"min"` or `"auto"`: whether a higher or lower value
            is better. `"auto"` reads the monitored metric's `direction`
            (`reward` is maximised) and maximises when there is none.
        save_variables_only: Save only the variables
            (`program.save_variables`) instead of the whole program.
        save_freq: `"epoch"` to save at the end of every epoch, or an integer
            N to save after every N training batches (counted across epochs).
        initial_value_threshold: The initial "best" value: with
            `save_best_only=True`, nothing is saved until the monitored value
            is better than it.
        save_top_k: Keep only the k best files written by this run (-1: all);
            the filepath must then have format fields.
        max_to_keep: Keep only the n newest files written by this run. With
            `save_top_k`, the union is kept. The newest file, the one the run
            resumed from and files this run did not write are never deleted.
        save_last: Also keep `last.json` (`last.variables.json`) in the folder,
            with the newest state: rewritten at every save opportunity, best
            or not.
        min_delta: An improvement smaller than this does not count.
        save_on_exception: When `fit` stops on an exception, a keyboard
            interrupt or SIGTERM, write `interrupted.json`
            (`interrupted.variables.json`) in the folder first.

    `save_freq` may also be a time interval (`"15min"`, `"30s"`,
    `datetime.timedelta(hours=1)`): the callback then saves after the batch at
    which that much time has passed since the last save.

    A manifest in the folder (`.synalinks-checkpoints-<hash>.json`, written
    atomically after each checkpoint) records the latest file, the best and the
    table of files and values; it is the callback's state, restored when a
    run starts again, so a restarted run never overwrites a better file with a
    worse one. Without a readable manifest, the folder is scanned instead; a
    manifest entry naming a file outside the folder, or one the template
    cannot produce, is ignored, so retention only ever removes files this
    callback wrote. A lock file (`fcntl.flock`) stops a second run from
    writing the same folder; the temporary files of a run killed while
    holding it are removed when the lock is taken over. Filepath fields are
    checked at construction (syntax) and when training starts (names), before
    any LM call; when `fit` ends without any checkpoint written, a warning
    says why. A failed emergency save (`save_on_exception`) never hides the
    error that stopped training: it is added to it as a note.

    Attributes:
        best: The best monitored value so far.
        best_path: The file holding it.
        best_k_paths: `{path: value}` of the best files kept.
        last_path: The newest file written.

    Example:

    ```python
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(),
        metrics=[synalinks.metrics.Accuracy()],
    )
    EPOCHS = 10
    checkpoint_filepath = "/tmp/synalinks/checkpoint.program.json"
    program_checkpoint_callback = synalinks.callbacks.ProgramCheckpoint(
        filepath=checkpoint_filepath,
        monitor="val_reward",
        mode="max",
        save_best_only=True,
    )
    # The program is saved at the end of every epoch, if it's the best seen so far.
    program.fit(
        x=x_train,
        y=y_train,
        validation_data=(x_test, y_test),
        epochs=EPOCHS,
        callbacks=[program_checkpoint_callback],
    )
    # The best program can be loaded back:
    program = synalinks.programs.load_program(checkpoint_filepath)

    # Or checkpoint only the variables:
    checkpoint_filepath = "/tmp/synalinks/checkpoint.variables.json"
    program_checkpoint_callback = synalinks.callbacks.ProgramCheckpoint(
        filepath=checkpoint_filepath,
        save_variables_only=True,
        monitor="val_accuracy",
        mode="max",
        save_best_only=True,
    )
    program.fit(..., callbacks=[program_checkpoint_callback])
    program.load_variables(checkpoint_filepath)
    ```
    """

    def __init__(
        self,
        filepath,
        monitor="val_reward",
        verbose=0,
        save_best_only=False,
        save_variables_only=False,
        mode="auto",
        save_freq="epoch",
        initial_value_threshold=None,
        save_top_k=None,
        max_to_keep=None,
        save_last=False,
        min_delta=0.0,
        save_on_exception=False,
    ):
        super().__init__()
        try:
            self.filepath = os.fspath(filepath)
        except TypeError:
            raise TypeError(
                f"`filepath` must be a str or os.PathLike, got {type(filepath).__name__}: {filepath!r}"
            ) from None
        if not isinstance(self.filepath, str):
            self.filepath = self.filepath.decode()
        self.monitor = monitor
        try:
            self.verbose = int(verbose)
        except (TypeError, ValueError):
            raise ValueError(f"`verbose` must be 0 or 1, got {verbose!r}.") from None
        self.save_best_only = save_best_only
        self.save_variables_only = save_variables_only
        self.initial_value_threshold = initial_value_threshold

        if save_variables_only:
            if not self.filepath.endswith(".variables.json"):
                raise ValueError(
                    "With save_variables_only=True, the filepath must end in '.variables.json' "
                    f"(e.g. 'checkpoint.variables.json'), got '{self.filepath}'."
                )
        elif not self.filepath.endswith(".json") or self.filepath.endswith(".variables.json"):
            raise ValueError(
                "The filepath of a whole-program checkpoint must end in '.json' (e.g. 'checkpoint.program.json'); "
                "use save_variables_only=True for a '.variables.json' file. "
                f"Got '{self.filepath}'."
            )
        if storage.isdir(self.filepath):
            raise ValueError(
                f"The filepath '{self.filepath}' is an existing folder; give a file path inside it instead."
            )
        self._filepath_fields = _template_fields(self.filepath)
        self._save_kind, self._save_every = parse_save_freq(save_freq)
        self.save_freq = save_freq
        self.mode = check_mode(mode, "ProgramCheckpoint")
        for name, value in (("save_top_k", save_top_k), ("max_to_keep", max_to_keep)):
            if value is None:
                continue
            if (
                not isinstance(value, int)
                or isinstance(value, bool)
                or (value < 1 and not (name == "save_top_k" and value == -1))
            ):
                raise ValueError(
                    f"`{name}` must be a positive integer{' or -1' if name == 'save_top_k' else ''}, got {value!r}."
                )
            if "{" not in storage.basename(self.filepath):
                raise ValueError(
                    f"`{name}` keeps several files, so the filepath needs format fields such as "
                    f"'ckpt-{{epoch:02d}}.json'; got '{self.filepath}'."
                )
        if min_delta < 0:
            raise ValueError(f"`min_delta` must be 0 or more, got {min_delta!r}.")
        self.save_top_k = save_top_k
        self.max_to_keep = max_to_keep
        self.save_last = save_last
        self.min_delta = min_delta
        self.save_on_exception = save_on_exception

        self.folder = storage.dirname(self.filepath)
        self._manifest = CheckpointManifest(self.folder, self.filepath)
        self._lock = FolderLock(self.folder)
        self._maximize = None
        self.best = None
        self.best_path = None
        self.best_k_paths = {}
        self.last_path = None
        self.resumed_from = None
        self._entries = []  # one per file written: path, value, epoch, batch, global_step, time, this_run
        self._batches_seen_since_last_saving = 0
        # -1 so that a first reported batch index of N counts N + 1 batches.
        self._last_batch_seen = -1
        self._current_epoch = 0
        self._global_step = 0
        self._last_step_batch = -1
        self._last_save_time = time.monotonic()
        self._last_logs = {}
        self._lock_held = False
        self._interrupted_path = None
        self._written_this_run = 0
        self._skipped_reasons = []  # why save opportunities wrote nothing, for the end-of-fit message

    # Deciding what "better" means

    def _resolve_mode(self):
        """Settles whether higher is better, once the program (and its metrics) is known."""
        if self._maximize is not None:
            return
        self._maximize = higher_is_better(self.mode, self.monitor, self.program)
        if self.best is None:
            if self.initial_value_threshold is not None:
                self.best = float(self.initial_value_threshold)
            else:
                self.best = -math.inf if self._maximize else math.inf

    def _is_improvement(self, current, best):
        if self._maximize:
            return current - self.min_delta > best
        return current + self.min_delta < best

    # State: the manifest

    def get_state(self):
        """The callback's state (best value, table of files, counters), as JSON."""
        return {
            "filepath": self.filepath,
            "monitor": self.monitor,
            "maximize": self._maximize,
            "best": _finite_or_none(self.best),
            "best_path": self.best_path,
            "last_path": self.last_path,
            "entries": [{**entry, "this_run": False} for entry in self._entries],
            "global_step": self._global_step,
            "batches_seen_since_last_saving": self._batches_seen_since_last_saving,
            "last_batch_seen": self._last_batch_seen,
        }

    def set_state(self, state):
        """Restores `get_state()`'s output (the files it names must still exist to count).

        Entries naming files this callback's template could not have written
        in its folder are ignored; a malformed state raises ValueError.
        """
        if isinstance(state, dict) and (state.get("filepath") != self.filepath or state.get("monitor") != self.monitor):
            return  # the state of another configuration: start afresh
        state = self._manifest.clean(state)
        if state is None:
            raise ValueError(f"The saved state of ProgramCheckpoint('{self.filepath}') is malformed.")
        self._entries = [entry for entry in state["entries"] if storage.isfile(entry["path"])]
        self._global_step = int(state.get("global_step", 0))
        self._batches_seen_since_last_saving = int(state.get("batches_seen_since_last_saving", 0))
        self._last_batch_seen = int(state.get("last_batch_seen", -1))
        last_path = state.get("last_path")
        self.last_path = last_path if self._manifest.owns(last_path) and storage.isfile(last_path) else None
        self.resumed_from = self.last_path
        self._restore_best()

    def _restore_best(self):
        self._resolve_mode()
        for entry in self._entries:
            value = entry.get("value")
            if isinstance(value, (int, float)) and math.isfinite(value) and self._is_improvement(value, self.best):
                self.best, self.best_path = value, entry["path"]
        self._update_best_k()

    def _update_best_k(self):
        scored = [
            entry
            for entry in self._entries
            if isinstance(entry.get("value"), (int, float)) and math.isfinite(entry["value"])
        ]
        scored = [entry for entry in scored if storage.isfile(entry["path"])]
        scored.sort(key=lambda entry: entry["value"], reverse=self._maximize)
        k = len(scored) if self.save_top_k == -1 else (self.save_top_k or 1)
        self.best_k_paths = {entry["path"]: entry["value"] for entry in scored[:k]}

    # Hooks

    def on_train_begin(self, logs=None):
        self._resolve_mode()
        self._check_filepath_fields()
        self._lock.acquire()  # also removes the temporary files of a run that died holding it
        self._lock_held = True
        self._interrupted_path = None
        self._written_this_run = 0
        self._skipped_reasons = []
        state = self._manifest.read()
        if state is not None:
            self.set_state(state)
        else:
            self._entries = self._manifest.scan(self.monitor)
            if self._entries:
                self._restore_best()
                self.last_path = max(self._entries, key=lambda entry: entry.get("time", 0))["path"]
                self.resumed_from = self.last_path
        if self.resumed_from is not None:
            self._print(
                f"ProgramCheckpoint: going on from {self.resumed_from} (best {self.monitor} so far: {self.best})"
            )
        self._last_save_time = time.monotonic()

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        self._global_step += batch + 1 if batch <= self._last_step_batch else batch - self._last_step_batch
        self._last_step_batch = batch
        self._last_logs = dict(logs or {})
        if self._save_kind == "seconds":
            now = time.monotonic()
            if now - self._last_save_time >= self._save_every:
                self._last_save_time = now
                self._save_program(epoch=self._current_epoch, batch=batch, logs=logs)
            return
        if self._should_save_on_batch(batch):
            self._save_program(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self._last_step_batch = -1
        self._last_logs = dict(logs or {})
        if self._save_kind == "epoch":
            self._save_program(epoch=epoch, batch=None, logs=logs)

    def on_train_interrupted(self, reason, logs=None):
        """Writes `interrupted.json` when asked, then gives the folder back.

        Nothing is written into a folder whose lock this run does not hold (it
        may be another run's). A failed emergency save never hides why training
        stopped: it is added as a note to that error (or warned about).
        """
        if not self._lock_held:
            return
        try:
            if self.save_on_exception and self.program is not None:
                name = "interrupted.variables.json" if self.save_variables_only else "interrupted.json"
                path = storage.join(self.folder, name)
                self._print(f"\nTraining interrupted ({reason!r}): saving program to {path}")
                self._write(
                    path,
                    self._current_epoch,
                    None,
                    logs or self._last_logs,
                    None,
                    interrupted=repr(reason),
                    record=False,
                )
                self._interrupted_path = path
        except Exception as error:
            note = f"ProgramCheckpoint could not save {name}: {type(error).__name__}: {str(error)[:300]}"
            if isinstance(reason, BaseException):
                reason.add_note(note)
            else:
                warnings.warn(note, stacklevel=2)
        finally:
            self._release_lock()

    def interruption_note(self):
        if self._interrupted_path is not None:
            return f"the program at the interruption is in {self._interrupted_path}"
        if self.best_path is not None:
            return f"the best program so far is in {self.best_path}"
        return None

    def on_train_end(self, logs=None):
        self._release_lock()
        if self._written_this_run == 0 and self._skipped_reasons:
            warnings.warn(
                f"ProgramCheckpoint wrote no checkpoint to '{self.filepath}' in this run: {self._skipped_reasons[-1]}",
                stacklevel=2,
            )

    def _release_lock(self):
        if self._lock_held:
            self._lock_held = False
            self._lock.release()

    # The documented methods

    def _should_save_on_batch(self, batch):
        """Handles batch-level saving logic, supports steps_per_execution.

        Counts the batches seen since the last save: a batch index not greater
        than the last one means a new epoch began (it adds `batch + 1`), and
        a jump of more than one (several batches run per step) adds the gap.
        Returns True, and starts counting again, once `save_freq` batches
        were seen.
        """
        if self._save_kind != "batches":
            return False
        if batch <= self._last_batch_seen:
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self._save_every:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _save_program(self, epoch, batch, logs):
        """Saves the program (or its variables) if the settings say so.

        Args:
            epoch: The epoch this iteration is in (from 0).
            batch: The batch this iteration is in (from 0), or None at the
                end of an epoch.
            logs: The logs passed to `on_epoch_end` or `on_train_batch_end`.
        """
        self._resolve_mode()
        logs = logs or {}
        filepath = self._get_file_path(epoch, batch, logs)
        if storage.isdir(filepath):
            raise ValueError(f"Cannot save the checkpoint: '{filepath}' is an existing folder.")
        current = logs.get(self.monitor)
        try:
            self._save_if_asked(filepath, epoch, batch, logs, current)
        finally:
            if self.save_last:
                self._write_last(epoch, batch, logs, current)

    def _save_if_asked(self, filepath, epoch, batch, logs, current):
        if not self.save_best_only:
            self._print(f"\nEpoch {epoch + 1}: saving program to {filepath}")
            value = float(current) if current is not None and _is_scalar(current) else None
            if value is not None and not math.isfinite(value):
                warnings.warn(
                    f"The monitored value {self.monitor} is {value}; it never counts as the best.", stacklevel=2
                )
            self._write(filepath, epoch, batch, logs, value)
            if value is not None and math.isfinite(value) and self._is_improvement(value, self.best):
                self.best, self.best_path = value, filepath
            return
        if current is None:
            message = (
                f"Can save best program only with {self.monitor} available; skipping this save. "
                f"Available log keys: {sorted(logs)}."
            )
            warnings.warn(message, stacklevel=2)
            self._skipped_reasons.append(f"`{self.monitor}` was never in the logs (they have {sorted(logs)}).")
            return
        if not _is_scalar(current):
            warnings.warn(
                f"The monitored value {self.monitor} is not a scalar ({type(current).__name__}), "
                "so it cannot be compared; saving the program anyway.",
                stacklevel=2,
            )
            self._write(filepath, epoch, batch, logs, None)
            return
        current = float(current)
        if not math.isfinite(current):
            warnings.warn(
                f"The monitored value {self.monitor} is {current}; it never counts as the best.", stacklevel=2
            )
            self._print(f"\nEpoch {epoch + 1}: {self.monitor} is {current}, not saving")
            self._skipped_reasons.append(f"`{self.monitor}` was {current}, which never counts as the best.")
            return
        if self._is_improvement(current, self.best):
            self._print(
                f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to {current:.5f}, "
                f"saving program to {filepath}"
            )
            self.best, self.best_path = current, filepath
            self._write(filepath, epoch, batch, logs, current)
        else:
            self._print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
            self._skipped_reasons.append(
                f"`{self.monitor}` never improved on {self.best:.5f} (min_delta {self.min_delta}, "
                f"initial_value_threshold {self.initial_value_threshold})."
            )

    def _get_file_path(self, epoch, batch, logs):
        """Returns the file path for checkpoint.

        `{epoch}` is filled with `epoch + 1`, `{batch}` with `batch + 1` (when
        saving on a batch), and any other field from the logs.

        Raises:
            KeyError: naming the format field that the logs do not have.
        """
        fields = dict(logs or {})
        fields["epoch"] = epoch + 1
        if batch is not None and "batch" not in (logs or {}):
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as error:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". '
                f"The logs have no field `{error.args[0]}`; available: {', '.join(sorted(fields))}."
            ) from None
        except (ValueError, IndexError) as error:
            raise ValueError(f'Failed to format this callback filepath: "{self.filepath}": {error}') from None

    def _checkpoint_exists(self, filepath):
        """Returns whether a checkpoint file exists at `filepath`."""
        return storage.isfile(os.fspath(filepath))

    def _get_most_recently_modified_file_matching_pattern(self, pattern):
        """Returns the most recently modified filepath matching pattern.

        The pattern may contain format fields such as `{epoch:02d}`; each
        matches any text. In the rare case where more than one matching file
        has the same, most recent, modification time, the largest of those
        paths (by `>`, lexicographically) is returned, so the result is
        deterministic. Modification times are read with `os.path.getmtime()`
        (or the store's modification time for fsspec URLs).

        Args:
            pattern: The file pattern, e.g. `/ckpts/batch{batch:02d}epoch{epoch:02d}.json`.

        Returns:
            The most recently modified matching file's full path, or None
            when no file matches.
        """
        folder = storage.dirname(pattern)
        regex = pattern_regex(storage.basename(pattern))
        latest_time = None
        latest = []
        for name in storage.listdir(folder or "."):
            if not regex.match(name):
                continue
            path = storage.join(folder, name)
            if not storage.isfile(path):
                continue
            modified = storage.getmtime(path)
            if latest_time is None or modified > latest_time:
                latest_time, latest = modified, [path]
            elif modified == latest_time:
                latest.append(path)
        return max(latest) if latest else None

    # Writing

    def _write(self, filepath, epoch, batch, logs, value, interrupted=None, record=True):
        metadata = {
            "epoch": epoch + 1,
            "batch": None if batch is None else batch + 1,
            "global_step": self._global_step,
            "monitor": self.monitor,
            "value": _json_safe({"value": value})["value"],
            "logs": _json_safe(logs),
            "time": time.time(),
        }
        if interrupted is not None:
            metadata["interrupted"] = interrupted
        if self.save_variables_only:
            self.program.save_variables(filepath, metadata=metadata)
        else:
            self.program.save(filepath, metadata=metadata)
        if not record:
            return
        self._written_this_run += 1
        self._entries = [entry for entry in self._entries if entry["path"] != filepath]
        self._entries.append(
            {
                "path": filepath,
                "value": value,
                "epoch": epoch + 1,
                "batch": metadata["batch"],
                "global_step": self._global_step,
                "time": metadata["time"],
                "this_run": True,
            }
        )
        self.last_path = filepath
        self._apply_retention()
        self._update_best_k()
        self._entries = self._entries_to_remember()
        self._manifest.write(self.get_state())

    def _write_last(self, epoch, batch, logs, current):
        """`last.json`: the newest state, written at every save opportunity, best or not."""
        value = float(current) if current is not None and _is_scalar(current) else None
        last = storage.join(self.folder, "last.variables.json" if self.save_variables_only else "last.json")
        self._write(last, epoch, batch, logs, value, record=False)

    def _entries_to_remember(self):
        """The table entries the callback still needs: the best k, the newest n, the last and the resumed-from.

        Files left out stay on disk; they simply stop counting (the manifest stays small).
        """
        needed = {self.last_path, self.resumed_from, self.best_path, *self.best_k_paths}
        if self.save_top_k == -1:
            return self._entries
        newest = sorted(self._entries, key=lambda entry: entry.get("time") or 0)[-(self.max_to_keep or 1) :]
        needed.update(entry["path"] for entry in newest)
        return [entry for entry in self._entries if entry["path"] in needed]

    def _apply_retention(self):
        if self.save_top_k is None and self.max_to_keep is None:
            return
        ours = [entry for entry in self._entries if entry.get("this_run")]
        keep = {self.last_path, self.resumed_from}
        if self.save_top_k is not None:
            scored = [e for e in ours if isinstance(e.get("value"), (int, float)) and math.isfinite(e["value"])]
            scored.sort(key=lambda entry: entry["value"], reverse=self._maximize)
            kept = scored if self.save_top_k == -1 else scored[: self.save_top_k]
            keep.update(entry["path"] for entry in kept)
            if self.save_top_k == -1:
                keep.update(entry["path"] for entry in ours)
        if self.max_to_keep is not None:
            newest = sorted(ours, key=lambda entry: entry["time"])[-self.max_to_keep :]
            keep.update(entry["path"] for entry in newest)
        for entry in ours:
            # Only a file this callback's template names inside its folder is ever removed.
            if entry["path"] not in keep and self._manifest.owns(entry["path"]) and storage.isfile(entry["path"]):
                storage.remove(entry["path"])
                self._print(f"Removed {entry['path']} (retention)")
        self._entries = [entry for entry in self._entries if entry["path"] in keep or not entry.get("this_run")]

    def _print(self, message):
        if self.verbose > 0:
            print(message)

    def _check_filepath_fields(self):
        """Refuses, before any LM call, a filepath field that no log of this program can fill."""
        if not self._filepath_fields or self.program is None:
            return
        names = {"epoch", "batch"}
        for metric in getattr(self.program, "metrics", []):
            names.update({metric.name, f"val_{metric.name}"})
        unknown = sorted(set(self._filepath_fields) - names)
        if unknown:
            raise ValueError(
                f"The filepath '{self.filepath}' has the field(s) {', '.join('{' + name + '}' for name in unknown)}, "
                f"which no log of this program fills; use epoch, batch or one of: {', '.join(sorted(names))}."
            )


def _template_fields(filepath):
    """The format fields of a filepath, checked now rather than at the first save.

    Raises:
        ValueError: for a malformed template (unbalanced braces, positional or
            attribute fields, a format spec that cannot format a number).
    """
    import string

    try:
        parsed = list(string.Formatter().parse(filepath))
    except ValueError as error:
        raise ValueError(f"The filepath '{filepath}' is not a valid template: {error}.") from None
    fields = [name for _, name, _, _ in parsed if name is not None]
    for name in fields:
        if not name.isidentifier():
            raise ValueError(
                f"The filepath '{filepath}' has the field {{{name}}}; fields must be names such as "
                "{epoch:02d} or {val_reward:.2f}."
            )
    try:
        filepath.format(**{name: 1 for name in fields})
    except (ValueError, IndexError, KeyError) as error:
        raise ValueError(f"The filepath '{filepath}' is not a valid template: {error}.") from None
    return fields


def _finite_or_none(value):
    return value if isinstance(value, (int, float)) and math.isfinite(value) else None
