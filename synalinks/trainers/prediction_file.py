"""`PredictionFile`: `predict(..., predict_to=path)` writes one JSON line per input record as it goes,
and a run started again continues the file."""

import json
import os


class PredictionFile:
    """A JSON Lines file of predictions, one line per input record, in input order.

    Each finished batch is appended, flushed and synced to disk. `resume()`
    counts the complete lines already there (a crash may leave a cut last
    line: it is removed), so a run started again skips those records and
    neither redoes nor doubles any.

    Args:
        path: A local file path.
    """

    def __init__(self, path):
        path = os.fspath(path)
        if "://" in path:
            raise ValueError(f"predict_to={path!r}: give a local file path (a file is appended to as records finish).")
        self.path = path
        self._handle = None

    def resume(self):
        """The number of records already written (complete lines), a cut last line removed."""
        if not os.path.exists(self.path):
            return 0
        with open(self.path, "rb+") as handle:
            data_end = handle.seek(0, os.SEEK_END)
            position, tail = data_end, b""
            while position > 0:  # the end of the last complete line
                step = min(65536, position)
                handle.seek(position - step)
                tail = handle.read(step)
                newline = tail.rfind(b"\n")
                if newline != -1:
                    position = position - step + newline + 1
                    break
                position -= step
            if position != data_end:
                handle.truncate(position)
            handle.seek(0)
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))

    def append(self, outputs):
        """Writes one line per output (its JSON, or `null`), then makes them durable."""
        self.write(self.encode(outputs))

    @staticmethod
    def encode(outputs):
        """The lines of `outputs`, as one text."""
        return "".join(
            json.dumps(output.get_json() if output is not None else None, ensure_ascii=False) + "\n"
            for output in outputs
        )

    def write(self, text):
        """Appends `text` (whole lines) and syncs it to disk. Blocking: `predict` calls it in a thread,
        so samples keep running while the disk syncs."""
        if self._handle is None:
            folder = os.path.dirname(os.path.abspath(self.path))
            os.makedirs(folder, exist_ok=True)
            self._handle = open(self.path, "a", encoding="utf-8")
        self._handle.write(text)
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self):
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def batches_after(batches, done):
    """`(x_batch,)` batches of the records after the first `done` ones."""
    seen = 0
    for x_batch, _ in batches:
        start = max(0, done - seen)
        seen += len(x_batch)
        if start < len(x_batch):
            yield (list(x_batch[start:]),)
