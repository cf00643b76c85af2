"""`ProgramCheckpoint`: saves the program, or its variables, while it trains."""

import math
import os
import warnings

from synalinks.callbacks import checkpoint_naming, checkpoint_retention
from synalinks.callbacks.checkpoint_manifest import CheckpointEntry, CheckpointManifest
from synalinks.callbacks.folder_lock import FolderLock
from synalinks.callbacks.monitor_callback import MonitorCallback
from synalinks.callbacks.save_schedule import SaveSchedule
from synalinks.saving import storage


class ProgramCheckpoint(MonitorCallback):
    """Saves the program, or only its variables, at some frequency during `fit`.

    It saves at the end of every epoch, every N training batches or every
    time interval, and keeps every file, the best so far, or the k best and
    the n newest. Files are written atomically and record how they were
    written (`program.checkpoint_info` after `load_program`); a manifest in
    the folder is the callback's state, so a restarted run never overwrites a
    better file. `docs/callbacks.md` describes every behaviour.

    Args:
        filepath: Where to save (str or PathLike), ending in `.json` (or
            `.variables.json` with `save_variables_only=True`). Format fields
            `epoch`, `batch` (both from 1) and log keys name several files:
            `ckpt-{epoch:02d}-{val_reward:.2f}.json`.
        monitor: The log key to monitor (default `"val_reward"`).
        verbose: 0 is silent; 1 prints each save and each non-improvement.
        save_best_only: Save only when the monitored value improves.
        mode: `"max"`, `"min"` or `"auto"` (the metric's `direction`).
        save_variables_only: Save only the variables (`program.save_variables`).
        save_freq: `"epoch"`, an integer N (every N training batches, counted
            across epochs) or a time interval (`"15min"`, a `timedelta`).
        initial_value_threshold: The initial "best" value to beat.
        save_top_k: Keep only the k best files written by this run (-1: all).
        max_to_keep: Keep only the n newest files written by this run.
        save_last: Also keep `last.json`, rewritten at every save opportunity.
        min_delta: An improvement smaller than this does not count.
        save_on_exception: Write `interrupted.json` when `fit` stops on an error or a signal.

    Attributes:
        best: The best monitored value so far; `best_path` the file holding it.
        best_k_paths: `{path: value}` of the best files kept.
        last_path: The newest file written.

    Example:

    ```python
    checkpoint_filepath = "/tmp/synalinks/checkpoint.program.json"
    program_checkpoint_callback = synalinks.callbacks.ProgramCheckpoint(
        filepath=checkpoint_filepath, monitor="val_reward", mode="max", save_best_only=True
    )
    program.fit(x=x_train, y=y_train, validation_data=(x_test, y_test), epochs=10,
                callbacks=[program_checkpoint_callback])
    program = synalinks.programs.load_program(checkpoint_filepath)
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
        super().__init__(monitor=monitor, mode=mode, min_delta=min_delta, initial_value=initial_value_threshold)
        self.filepath = checkpoint_naming.checkpoint_filepath(filepath, save_variables_only)
        try:
            self.verbose = int(verbose)
        except (TypeError, ValueError):
            raise ValueError(f"`verbose` must be 0 or 1, got {verbose!r}.") from None
        self._filepath_fields = checkpoint_naming.template_fields(self.filepath)
        self._schedule = SaveSchedule(save_freq)
        checkpoint_retention.check_retention(save_top_k, max_to_keep, self.filepath)
        self.save_best_only, self.save_variables_only, self.save_freq = save_best_only, save_variables_only, save_freq
        self.initial_value_threshold = initial_value_threshold
        self.save_top_k, self.max_to_keep, self.save_last = save_top_k, max_to_keep, save_last
        self.save_on_exception = save_on_exception
        self.folder = storage.dirname(self.filepath)
        self.manifest = CheckpointManifest(self.folder, self.filepath)
        self._lock = FolderLock(self.folder)
        self.best_path = self.last_path = self.resumed_from = self._interrupted_path = None
        self.best_k_paths = {}
        self._entries = []  # CheckpointEntry per file written
        self._current_epoch, self._last_logs, self._written_this_run = 0, {}, 0
        self._skipped_reasons = []  # why save opportunities wrote nothing, for the end-of-fit message

    # State: the manifest

    @property
    def state_key(self):
        return f"ProgramCheckpoint[{self.filepath}]"

    def get_state(self):
        """The callback's state (best value, table of files, save schedule), as JSON."""
        self._set_monitor_op()
        best = self.best if isinstance(self.best, (int, float)) and math.isfinite(self.best) else None
        return {
            "filepath": self.filepath,
            "monitor": self.monitor,
            "maximize": self.maximize,
            "best": best,
            "best_path": self.best_path,
            "last_path": self.last_path,
            "entries": [entry.to_json() for entry in self._entries],
            "schedule": self._schedule.get_state(),
        }

    def set_state(self, state):
        """Restores `get_state()`'s output; entries for files that are gone, or that this callback's
        template could not have written, are ignored. A malformed state raises ValueError."""
        if isinstance(state, dict) and (state.get("filepath") != self.filepath or state.get("monitor") != self.monitor):
            return  # the state of another configuration: start afresh
        state = self.manifest.clean(state)
        if state is None:
            raise ValueError(f"The saved state of ProgramCheckpoint('{self.filepath}') is malformed.")
        self._entries = [entry for entry in state["entries"] if storage.isfile(entry.path)]
        self._schedule.set_state(state.get("schedule") or {})
        last_path = state.get("last_path")
        self.last_path = last_path if self.manifest.owns(last_path) and storage.isfile(last_path) else None
        self.resumed_from = self.last_path
        self._set_monitor_op()
        for entry in self._entries:
            if checkpoint_retention.is_scored(entry) and self._is_improvement(entry.value, self.best):
                self.best, self.best_path = entry.value, entry.path
        self.best_k_paths = checkpoint_retention.best_k_paths(self._entries, self)

    # Hooks

    def on_train_begin(self, logs=None):
        self._set_monitor_op()
        checkpoint_naming.check_fields_fillable(self.filepath, self._filepath_fields, self.program)
        self._lock.acquire()  # also removes the temporary files of a run that died holding it
        self._interrupted_path, self._written_this_run, self._skipped_reasons = None, 0, []
        self.set_state(self.manifest.read() or self.manifest.scan(self.monitor))
        if self.resumed_from is not None:
            self._print(
                f"ProgramCheckpoint: going on from {self.resumed_from} (best {self.monitor} so far: {self.best})"
            )
        self._schedule.restart_clock()

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        self._last_logs = dict(logs or {})
        if self._schedule.batch_ended(batch):
            self._save_program(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self._last_logs = dict(logs or {})
        if self._schedule.epoch_ended():
            self._save_program(epoch=epoch, batch=None, logs=logs)

    def on_train_interrupted(self, reason, logs=None):
        """Writes `interrupted.json` when asked (into a folder whose lock it holds), then gives the folder back.
        A failed emergency save is added as a note to the error that stopped training (or warned about)."""
        if not self._lock.held:
            return
        name = "interrupted.variables.json" if self.save_variables_only else "interrupted.json"
        try:
            if self.save_on_exception and self.program is not None:
                path = storage.join(self.folder, name)
                self._print(f"\nTraining interrupted ({reason!r}): saving program to {path}")
                self._write(path, self._current_epoch, None, logs or self._last_logs, None, interrupted=repr(reason))
                self._interrupted_path = path
        except Exception as error:
            note = f"ProgramCheckpoint could not save {name}: {type(error).__name__}: {str(error)[:300]}"
            if isinstance(reason, BaseException):
                reason.add_note(note)
            else:
                warnings.warn(note, stacklevel=2)
        finally:
            self._lock.release()

    def interruption_note(self):
        if self._interrupted_path is not None:
            return f"the program at the interruption is in {self._interrupted_path}"
        if self.best_path is not None:
            return f"the best program so far is in {self.best_path}"
        return None

    def on_train_end(self, logs=None):
        self._lock.release()
        if self._written_this_run == 0 and self._skipped_reasons:
            warnings.warn(
                f"ProgramCheckpoint wrote no checkpoint to '{self.filepath}' in this run: {self._skipped_reasons[-1]}",
                stacklevel=2,
            )

    # The documented methods

    def _should_save_on_batch(self, batch):
        """Handles batch-level saving logic, supports steps_per_execution (see `SaveSchedule.batch_ended`)."""
        return self._schedule.kind == "batches" and self._schedule.batch_ended(batch)

    def _save_program(self, epoch, batch, logs):
        """Saves the program (or its variables) if the settings say so.

        Args:
            epoch: The epoch this iteration is in (from 0).
            batch: The batch this iteration is in (from 0), or None at the end of an epoch.
            logs: The logs passed to `on_epoch_end` or `on_train_batch_end`.
        """
        self._set_monitor_op()
        logs = logs or {}
        filepath = self._get_file_path(epoch, batch, logs)
        checkpoint_naming.refuse_directory(filepath)
        current = self.get_monitor_value(logs)
        value = float(current) if current is not None and checkpoint_naming.is_scalar(current) else None
        try:
            self._save_if_asked(filepath, epoch, batch, logs, current, value)
        finally:
            if self.save_last:
                last = "last.variables.json" if self.save_variables_only else "last.json"
                self._write(storage.join(self.folder, last), epoch, batch, logs, value)

    def _get_file_path(self, epoch, batch, logs):
        """Returns the file path for checkpoint (`{epoch}` and `{batch}` count from 1)."""
        return checkpoint_naming.format_filepath(self.filepath, epoch, batch, logs)

    def _checkpoint_exists(self, filepath):
        """Returns whether a checkpoint file exists at `filepath`."""
        return storage.isfile(os.fspath(filepath))

    def _get_most_recently_modified_file_matching_pattern(self, pattern):
        """Returns the most recently modified filepath matching pattern (the largest path on a tie), or None."""
        return checkpoint_naming.most_recent_matching(pattern)

    # Saving

    def _save_if_asked(self, filepath, epoch, batch, logs, current, value):
        at = f"\nEpoch {epoch + 1}: "
        if value is not None and not math.isfinite(value):
            warnings.warn(f"The monitored value {self.monitor} is {value}; it never counts as the best.", stacklevel=3)
        if self.save_best_only and current is None:
            message = f"Can save best program only with {self.monitor} available; skipping this save."
            warnings.warn(f"{message} Available log keys: {sorted(logs)}.", stacklevel=3)
            return self._skipped_reasons.append(f"`{self.monitor}` was never in the logs (they have {sorted(logs)}).")
        if self.save_best_only and value is None:
            message = f"The monitored value {self.monitor} is not a scalar ({type(current).__name__}): the monitor"
            warnings.warn(f"{message} must be a scalar value; skipping this save.", stacklevel=3)
            return self._skipped_reasons.append(f"`{self.monitor}` was not a scalar value.")
        if self.save_best_only and not math.isfinite(value):
            self._print(f"{at}{self.monitor} is {value}, not saving")
            return self._skipped_reasons.append(f"`{self.monitor}` was {value}, which never counts as the best.")
        elif self.save_best_only and not self._is_improvement(value, self.best):
            self._print(f"{at}{self.monitor} did not improve from {self.best:.5f}")
            return self._skipped_reasons.append(
                f"`{self.monitor}` never improved on {self.best:.5f} (min_delta {self.min_delta}, "
                f"initial_value_threshold {self.initial_value_threshold})."
            )
        elif self.save_best_only:
            at += f"{self.monitor} improved from {self.best:.5f} to {value:.5f}, "
        self._print(f"{at}saving program to {filepath}")
        self._record(filepath, epoch, batch, logs, value)

    def _write(self, filepath, epoch, batch, logs, value, interrupted=None):
        """Writes one file atomically, with what wrote it as metadata; returns its table entry."""
        step = getattr(getattr(self.program, "progress", None), "global_step", 0)
        entry = CheckpointEntry.written_now(filepath, value, epoch, batch, step)
        entry.write(self.program, self.save_variables_only, self.monitor, value, logs, interrupted)
        return entry

    def _record(self, filepath, epoch, batch, logs, value):
        """Writes a checkpoint, counts it in the table, applies retention and writes the manifest."""
        entry = self._write(filepath, epoch, batch, logs, value)
        if value is not None and math.isfinite(value) and self._is_improvement(value, self.best):
            self.best, self.best_path = value, filepath
        self._written_this_run += 1
        self._entries = [known for known in self._entries if known.path != filepath] + [entry]
        self.last_path = filepath
        self._entries = checkpoint_retention.apply_retention(
            self._entries, self, protected={filepath, self.resumed_from}, log=self._print
        )
        self.best_k_paths = checkpoint_retention.best_k_paths(self._entries, self)
        needed = {self.last_path, self.resumed_from, self.best_path, *self.best_k_paths}
        self._entries = checkpoint_retention.entries_to_remember(self._entries, needed, self)
        self.manifest.write(self.get_state())

    def _print(self, message):
        if self.verbose > 0:
            print(message)
