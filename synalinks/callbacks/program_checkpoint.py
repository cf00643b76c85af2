"""`ProgramCheckpoint`: saves the program, or its variables, while it trains."""

import math
import numbers
import os
import re
import warnings

from synalinks.callbacks.callback import Callback
from synalinks.callbacks.monitor_direction import check_mode, higher_is_better


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
        if os.path.isdir(self.filepath):
            raise ValueError(
                f"The filepath '{self.filepath}' is an existing folder; give a file path inside it instead."
            )

        if save_freq != "epoch" and (not isinstance(save_freq, int) or isinstance(save_freq, bool) or save_freq < 1):
            raise ValueError(f"Unrecognized save_freq: {save_freq!r}. Expected 'epoch' or a positive integer.")
        self.save_freq = save_freq

        self.mode = check_mode(mode, "ProgramCheckpoint")
        self._maximize = None
        self.best = None
        self._batches_seen_since_last_saving = 0
        # -1 so that a first reported batch index of N counts N + 1 batches.
        self._last_batch_seen = -1
        self._current_epoch = 0

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
        return current > best if self._maximize else current < best

    # Hooks

    def on_train_begin(self, logs=None):
        self._resolve_mode()

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_program(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save_program(epoch=epoch, batch=None, logs=logs)

    # The documented methods

    def _should_save_on_batch(self, batch):
        """Handles batch-level saving logic, supports steps_per_execution.

        Counts the batches seen since the last save: a batch index not greater
        than the last one means a new epoch began (it adds `batch + 1`), and
        a jump of more than one (several batches run per step) adds the gap.
        Returns True, and starts counting again, once `save_freq` batches
        were seen.
        """
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
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
        if os.path.isdir(filepath):
            raise ValueError(f"Cannot save the checkpoint: '{filepath}' is an existing folder.")
        if not self.save_best_only:
            self._print(f"\nEpoch {epoch + 1}: saving program to {filepath}")
            self._write(filepath, epoch, batch, logs, logs.get(self.monitor))
            return
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Can save best program only with {self.monitor} available; skipping this save. "
                f"Available log keys: {sorted(logs)}.",
                stacklevel=2,
            )
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
            return
        if self._is_improvement(current, self.best):
            self._print(
                f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to {current:.5f}, "
                f"saving program to {filepath}"
            )
            self.best = current
            self._write(filepath, epoch, batch, logs, current)
        else:
            self._print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")

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
        return os.path.isfile(os.fspath(filepath))

    def _get_most_recently_modified_file_matching_pattern(self, pattern):
        """Returns the most recently modified filepath matching pattern.

        The pattern may contain format fields such as `{epoch:02d}`; each
        matches any text. In the rare case where more than one matching file
        has the same, most recent, modification time, the largest of those
        paths (by `>`, lexicographically) is returned, so the result is
        deterministic. Modification times are read with `os.path.getmtime()`.

        Args:
            pattern: The file pattern, e.g. `/ckpts/batch{batch:02d}epoch{epoch:02d}.json`.

        Returns:
            The most recently modified matching file's full path, or None
            when no file matches.
        """
        folder = os.path.dirname(pattern)
        base = os.path.basename(pattern)
        regex = "^" + ".*".join(re.escape(part) for part in re.split(r"\{[^{}]*\}", base)) + "$"
        latest_time = None
        latest = []
        if not os.path.isdir(folder or "."):
            return None
        for name in os.listdir(folder or "."):
            if not re.match(regex, name):
                continue
            path = os.path.join(folder, name)
            if not os.path.isfile(path):
                continue
            modified = os.path.getmtime(path)
            if latest_time is None or modified > latest_time:
                latest_time, latest = modified, [path]
            elif modified == latest_time:
                latest.append(path)
        return max(latest) if latest else None

    # Writing

    def _write(self, filepath, epoch, batch, logs, value):
        metadata = {
            "epoch": epoch + 1,
            "batch": None if batch is None else batch + 1,
            "monitor": self.monitor,
            "value": _json_safe({"value": value})["value"],
            "logs": _json_safe(logs),
        }
        if self.save_variables_only:
            self.program.save_variables(filepath, metadata=metadata)
        else:
            self.program.save(filepath, metadata=metadata)

    def _print(self, message):
        if self.verbose > 0:
            print(message)
