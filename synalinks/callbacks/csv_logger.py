"""`CSVLogger`: one row of logs per epoch in a CSV file."""

import csv
import io
import os

from synalinks.callbacks.callback import Callback
from synalinks.saving.atomic_write import atomic_write_text


class CSVLogger(Callback):
    """Writes each epoch's logs as a row of a CSV file (`epoch`, counted from 1, then the log keys).

    The file is rewritten atomically after each epoch, so it is always
    complete; a key that appears later (e.g. `val_reward` with
    `validation_freq=2`) gets a column, and rows without it hold `NA`.

    Args:
        filepath: The CSV file.
        separator: The column separator.
        append: Add to an existing file (e.g. when resuming) instead of
            starting a new one.

    Example:

    ```python
    program.fit(x, y, epochs=10, callbacks=[synalinks.callbacks.CSVLogger("training.csv")])
    ```
    """

    def __init__(self, filepath, separator=",", append=False):
        super().__init__()
        self.filepath = os.fspath(filepath)
        self.separator = separator
        self.append = append
        self._rows = []

    def on_train_begin(self, logs=None):
        self._rows = []
        if self.append and os.path.isfile(self.filepath):
            with open(self.filepath, newline="", encoding="utf-8") as file:
                self._rows = list(csv.DictReader(file, delimiter=self.separator))

    def on_epoch_end(self, epoch, logs=None):
        self._rows.append({"epoch": epoch + 1, **(logs or {})})
        self._write()

    def get_state(self):
        """The rows written so far (a resumed run goes on with them)."""
        return {"rows": [dict(row) for row in self._rows]}

    def set_state(self, state):
        rows = state.get("rows") if isinstance(state, dict) else None
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ValueError("A CSVLogger state must be {'rows': [{column: value}, ...]}.")
        self._rows = [dict(row) for row in rows]

    @property
    def state_key(self):
        return f"CSVLogger[{self.filepath}]"

    def _write(self):
        keys = ["epoch"]
        for row in self._rows:
            keys.extend(key for key in row if key not in keys)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=keys, delimiter=self.separator, restval="NA", lineterminator="\n")
        writer.writeheader()
        writer.writerows(self._rows)
        atomic_write_text(self.filepath, buffer.getvalue())
