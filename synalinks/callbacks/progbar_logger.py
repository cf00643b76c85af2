"""`ProgbarLogger`: the progress display of `fit`, `evaluate` and `predict`."""

import sys
import time

from synalinks.callbacks.callback import Callback


def _format_logs(logs):
    parts = []
    for key, value in (logs or {}).items():
        if isinstance(value, float):
            parts.append(f"{key}: {value:.4f}")
        elif isinstance(value, int):
            parts.append(f"{key}: {value}")
    return " - ".join(parts)


class ProgbarLogger(Callback):
    """Prints progress: a bar per epoch with `verbose=1`, a line per epoch with `verbose=2`.

    When the output is not a terminal, only the end-of-epoch line is printed,
    so logs stay readable. `fit`, `evaluate` and `predict` add it unless
    `verbose=0`.

    Example:

    ```python
    program.fit(x, y, epochs=3, verbose=1)
    # Epoch 1/3
    # 4/4 [==============================] - 2s - reward: 0.5000 - lm: 8 calls, 2410 tokens, $0.0004
    ```
    """

    def __init__(self, stream=None):
        super().__init__()
        self.stream = stream

    def _out(self):
        return self.stream or sys.stdout

    def _write(self, text):
        stream = self._out()
        stream.write(text)
        stream.flush()

    def _live(self):
        return self.params.get("verbose", 1) == 1 and getattr(self._out(), "isatty", lambda: False)()

    def _bar(self, step, logs, final):
        steps = self.params.get("steps") or 0
        elapsed = time.monotonic() - self._start
        if not steps:  # a stream of unknown length: the steps done, no bar
            text = f"{step} steps - {elapsed:.0f}s"
            logs_text = _format_logs(logs)
            return f"{text} - {logs_text}" if logs_text else text
        width = 30
        done = int(width * step / steps) if steps else width
        bar = "=" * max(done - 1, 0) + (">" if done < width else "=") + "." * (width - done)
        if final:
            timing = f"{elapsed:.0f}s"
        else:
            eta = elapsed / step * (steps - step) if step else 0.0
            timing = f"ETA: {eta:.0f}s"
        text = f"{step}/{steps} [{bar}] - {timing}"
        logs_text = _format_logs(logs)
        if logs_text:
            text = f"{text} - {logs_text}"
        usage = self._lm_usage()
        return f"{text} - {usage}" if usage else text

    def _lm_usage(self):
        """The program's LM calls, tokens and cost so far, in a few words."""
        if self.program is None or not hasattr(self.program, "lm_usage"):
            return ""
        usage = self.program.lm_usage().values()
        calls = sum(model["calls"] for model in usage)
        if not calls:
            return ""
        tokens = sum(model["prompt_tokens"] + model["completion_tokens"] for model in usage)
        cost = sum(model["cost"] for model in usage)
        return f"lm: {calls} calls, {tokens} tokens, ${cost:.4f}"

    # The progress of other work (a knowledge base ingesting a dataset): `set_params({"verbose": 1,
    # "steps": None})`, then `begin`, `update` after each step, `end`.

    def begin(self, title=None):
        """Starts a progress display, printing `title` first (with `verbose=1`)."""
        self._begin(title)

    def update(self, step, logs=None):
        """Shows `step` (from 0) done, with `logs` (on a terminal, with `verbose=1`)."""
        self._update(step, logs)

    def end(self, logs=None, steps=None):
        """Prints the final line (`steps` done, when the total was not known)."""
        if steps is not None and not self.params.get("steps"):
            self.params["steps"] = steps
        self._end(logs)

    def _begin(self, title=None):
        self._start = time.monotonic()
        if title and self.params.get("verbose", 1) == 1:
            self._write(title + "\n")

    def _update(self, batch, logs):
        if self._live():
            self._write("\r" + self._bar(batch + 1, logs, final=False))

    def _end(self, logs):
        prefix = "\r" if self._live() else ""
        self._write(prefix + self._bar(self.params.get("steps") or 0, logs, final=True) + "\n")

    def on_epoch_begin(self, epoch, logs=None):
        self._begin(f"Epoch {epoch + 1}/{self.params.get('epochs', '?')}")

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._end(logs)

    def on_test_begin(self, logs=None):
        if not self._validating():
            self._begin()

    def _validating(self):
        # During fit, the validation is summed up in the epoch line instead.
        return getattr(self, "_fit_running", False)

    def on_train_begin(self, logs=None):
        self._fit_running = True

    def on_train_end(self, logs=None):
        self._fit_running = False

    def on_test_batch_end(self, batch, logs=None):
        if not self._validating():
            self._update(batch, logs)

    def on_test_end(self, logs=None):
        if not self._validating():
            self._end(logs)

    def on_predict_begin(self, logs=None):
        self._begin()

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, None)

    def on_predict_end(self, logs=None):
        self._end(None)
