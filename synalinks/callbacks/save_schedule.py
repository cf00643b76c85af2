"""`SaveSchedule`: when a callback saves: every epoch, every N batches, or every time interval."""

import datetime
import re
import time

_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
}


def parse_save_freq(save_freq):
    """Returns `("epoch", None)`, `("batches", n)` or `("seconds", s)`.

    Raises:
        ValueError: for anything else.
    """
    if save_freq == "epoch":
        return "epoch", None
    if isinstance(save_freq, int) and not isinstance(save_freq, bool) and save_freq >= 1:
        return "batches", save_freq
    if isinstance(save_freq, datetime.timedelta) and save_freq.total_seconds() > 0:
        return "seconds", save_freq.total_seconds()
    if isinstance(save_freq, str):
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*", save_freq.lower())
        if match and match.group(2) in _UNITS and float(match.group(1)) > 0:
            return "seconds", float(match.group(1)) * _UNITS[match.group(2)]
    raise ValueError(
        f"Unrecognized save_freq: {save_freq!r}. Expected 'epoch', a positive integer (batches), "
        "or a time interval such as '15min', '30s', '2h' or a datetime.timedelta."
    )


class SaveSchedule:
    """Decides, batch by batch and epoch by epoch, when `save_freq` says to save.

    `ProgramCheckpoint` and `BackupAndRestore` read `save_freq` the same way
    through it. Batches are counted from the indices the batch hooks get, so
    that `steps_per_execution` (hooks every k batches, with the last index
    run) and epoch boundaries count right.

    Args:
        save_freq: `"epoch"`, a positive integer (batches, counted across
            epochs), or a time interval (`"15min"`, `"30s"`, `"2h"`, a
            `datetime.timedelta`).

    Example:

    ```python
    schedule = SaveSchedule(3)
    [schedule.batch_ended(batch) for batch in (0, 1, 2, 3)]  # [False, False, True, False]
    ```
    """

    def __init__(self, save_freq):
        self.kind, self.every = parse_save_freq(save_freq)
        self.batches_seen = 0  # since the last save
        self.last_batch = -1  # -1 so that a first reported batch index of N counts N + 1 batches
        self.last_save_time = time.monotonic()

    @property
    def per_epoch(self):
        return self.kind == "epoch"

    def restart_clock(self):
        self.last_save_time = time.monotonic()

    def batch_ended(self, batch):
        """Counts the batches up to index `batch`; True when a save is due (and counting starts again).

        A batch index not greater than the last one means a new epoch began
        (it adds `batch + 1`); a jump of more than one adds the gap.
        """
        if self.kind == "seconds":
            now = time.monotonic()
            if now - self.last_save_time >= self.every:
                self.last_save_time = now
                return True
            return False
        if self.kind != "batches":
            return False
        self.batches_seen += batch + 1 if batch <= self.last_batch else batch - self.last_batch
        self.last_batch = batch
        if self.batches_seen >= self.every:
            self.batches_seen = 0
            return True
        return False

    def saved(self):
        """A save was taken outside the schedule (at an epoch's end): count from here."""
        self.batches_seen = 0
        self.last_save_time = time.monotonic()

    def epoch_ended(self):
        """True when saves are per epoch; a new epoch's batch indices start from 0 again."""
        self.last_batch = -1
        return self.per_epoch

    def get_state(self):
        return {"batches_seen": self.batches_seen, "last_batch": self.last_batch}

    def set_state(self, state):
        batches_seen, last_batch = state.get("batches_seen", 0), state.get("last_batch", -1)
        if not all(isinstance(value, int) and not isinstance(value, bool) for value in (batches_seen, last_batch)):
            raise ValueError(f"A save schedule state must hold integers, got {state!r}.")
        self.batches_seen, self.last_batch = batches_seen, last_batch
