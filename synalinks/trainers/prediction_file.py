"""`PredictionFile`: `predict(..., predict_to=path)` writes one JSON line per input record as it goes,
and a run started again continues the file: only a file of its own, for the same program and inputs."""

import hashlib
import json
import os

from synalinks.saving.atomic_write import atomic_write_text
from synalinks.utils.json_safe import json_safe

FORMAT = "synalinks.predictions"
VERSION = 1
FINGERPRINT_RECORDS = 16  # the first inputs that identify what a file's predictions are of


class PredictionFileError(ValueError):
    """A `predict_to` file that is not this run's to continue: another program's or other inputs', or a
    file predict did not write. Nothing of it was changed."""


class PredictionFileLockedError(RuntimeError):
    """Another `predict` (in this process or another) is writing the same `predict_to` file."""


def sidecar_path(path):
    """Where a prediction file's description is kept: `out.jsonl` -> `out.jsonl.synalinks.json`."""
    return path + ".synalinks.json"


def fingerprint(value):
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def program_fingerprint(program):
    """What identifies a program's predictions (sha256): each trainable module's class, output schema and
    variables. Not the names (made anew in each process) nor the language models' settings (concurrency,
    timeouts), which a resumed run may change."""
    from synalinks.saving.variables_payload import variables_payload

    return fingerprint(
        [[entry["class_name"], entry["signature"], entry["variables"]] for entry in variables_payload(program)]
    )


def record_json(record):
    """An input record (a data model, several of them, a dict) as JSON data."""
    if hasattr(record, "get_json"):
        return record.get_json()
    if isinstance(record, (list, tuple)):
        return [record_json(item) for item in record]
    return json_safe(record)


class PredictionFile:
    """A JSON Lines file of predictions, one line per input record, in input order.

    Beside it, `<path>.synalinks.json` says what the file holds: the
    fingerprint of the program (its modules' classes, output schemas and
    variables) and of its first inputs. A run started again continues the file only when both match;
    otherwise it raises `PredictionFileError` and changes no byte of it, as
    it does for a file that has content and no such description (a notes
    file, the input file itself). While a run writes the file it holds an
    exclusive lock on it: a second writer gets `PredictionFileLockedError`.

    Each finished batch is appended, flushed and synced to disk. A crash may
    leave a cut last line: the resumed run removes it (in its own file only)
    before it writes, and skips the records of the complete lines, so none is
    redone or doubled. Values JSON cannot hold are written as JSON data
    (`json_safe`: NaN as null, decimals as numbers, dates as ISO text).

    Args:
        path: A local file path.
        program: The program whose predictions it holds.

    Example:

    ```python
    prediction_file = PredictionFile("out.jsonl", program)
    done = prediction_file.open()  # records already written
    ```
    """

    def __init__(self, path, program):
        path = os.fspath(path)
        if "://" in path:
            raise ValueError(f"predict_to={path!r}: give a local file path (a file is appended to as records finish).")
        self.path = path
        self.program_fingerprint = program_fingerprint(program)
        self.inputs_fingerprint = None
        self.done = 0
        self._descriptor = None
        self._handle = None
        self._cut_at = None  # where a cut last line starts, removed before the first write

    def open(self):
        """Locks the file, checks that it is this run's to continue, and returns the number of records it
        holds (complete lines). Raises `PredictionFileLockedError` or `PredictionFileError`."""
        import fcntl

        folder = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(folder, exist_ok=True)
        existed = os.path.exists(self.path)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            raise PredictionFileLockedError(
                f"predict_to={self.path!r} is being written by another predict (in this process or another): "
                "wait for it to end, or write to another file."
            ) from None
        self._descriptor = descriptor
        try:
            size = os.fstat(descriptor).st_size
            description = self._read_description(existed and size > 0)
            if description is not None:
                self.inputs_fingerprint = description.get("inputs")
            self.done, self._cut_at = self._count_lines(size)
        except BaseException:
            self.close()
            raise
        return self.done

    def _read_description(self, has_content):
        sidecar = sidecar_path(self.path)
        if not os.path.exists(sidecar):
            if has_content:
                raise PredictionFileError(
                    f"predict_to={self.path!r} has content but was not written by predict (there is no "
                    f"{os.path.basename(sidecar)} beside it): it is left as it is. Write to another file."
                )
            return None
        try:
            with open(sidecar, encoding="utf-8") as handle:
                description = json.load(handle)
        except (OSError, ValueError) as error:
            raise PredictionFileError(
                f"{sidecar}: cannot read it ({error}); move it away or write elsewhere."
            ) from None
        if not isinstance(description, dict) or description.get("format") != FORMAT:
            raise PredictionFileError(f"{sidecar} does not describe a prediction file; write to another file.")
        if description.get("program") != self.program_fingerprint:
            raise PredictionFileError(
                f"predict_to={self.path!r} holds the predictions of another program (other modules or "
                "variables): it is left as it is. Write this program's predictions to another file."
            )
        return description

    def _count_lines(self, size):
        """The number of complete lines, and where a cut last line starts (None when there is none)."""
        count, tail_start = 0, 0
        with os.fdopen(os.dup(self._descriptor), "rb") as handle:
            handle.seek(0)
            position = 0
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                newlines = chunk.count(b"\n")
                if newlines:
                    count += newlines
                    tail_start = position + chunk.rfind(b"\n") + 1
                position += len(chunk)
        return count, (tail_start if tail_start != size else None)

    def check_inputs(self, first_records):
        """Checks that the run's first inputs are the file's (raises `PredictionFileError` when they are not),
        then describes the file as this program's predictions of these inputs."""
        inputs = fingerprint([record_json(record) for record in first_records[:FINGERPRINT_RECORDS]])
        if self.inputs_fingerprint is not None and inputs != self.inputs_fingerprint:
            raise PredictionFileError(
                f"predict_to={self.path!r} holds predictions of other inputs (its first records' inputs differ): "
                "it is left as it is. Write these inputs' predictions to another file."
            )
        if self.inputs_fingerprint is None:
            self.inputs_fingerprint = inputs
            description = {"format": FORMAT, "version": VERSION, "program": self.program_fingerprint, "inputs": inputs}
            atomic_write_text(sidecar_path(self.path), json.dumps(description, indent=1))

    def batches_after(self, batches):
        """`(x_batch,)` batches of the records after those the file holds, once the first inputs are
        checked (`check_inputs`), before anything runs."""
        held, seen, checked = [], 0, False
        for x_batch, _ in batches:
            held.append(list(x_batch))
            seen += len(x_batch)
            if not checked and seen >= FINGERPRINT_RECORDS:
                self.check_inputs([record for batch in held for record in batch])
                checked = True
            if checked:
                yield from self._after_done(held, seen)
                held = []
        if not checked:
            self.check_inputs([record for batch in held for record in batch])
        yield from self._after_done(held, seen)

    def _after_done(self, held, seen):
        start = seen - sum(len(batch) for batch in held)
        for batch in held:
            skip = max(0, self.done - start)
            start += len(batch)
            if skip < len(batch):
                yield (batch[skip:],)

    @staticmethod
    def encode(outputs):
        """The lines of `outputs`, as one text."""
        return "".join(
            json.dumps(json_safe(output.get_json()) if output is not None else None, ensure_ascii=False) + "\n"
            for output in outputs
        )

    def write(self, text):
        """Appends `text` (whole lines) and syncs it to disk. Blocking: `predict` calls it in a thread,
        so samples keep running while the disk syncs."""
        if self._handle is None:
            if self._descriptor is None:
                raise RuntimeError("PredictionFile.open() must come before write().")
            if self._cut_at is not None:  # a crash cut the last line: it goes, the record runs again
                os.ftruncate(self._descriptor, self._cut_at)
            os.lseek(self._descriptor, 0, os.SEEK_END)
            self._handle = os.fdopen(os.dup(self._descriptor), "a", encoding="utf-8")
        self._handle.write(text)
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self):
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._descriptor is not None:
            os.close(self._descriptor)  # the lock goes with the last descriptor of the file
            self._descriptor = None
