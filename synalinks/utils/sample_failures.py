"""Quiet logs: while a trainer runs many samples, their failures are counted and summed up in one line,
instead of one warning line per failed sample."""

import collections
import contextlib
import contextvars
import logging

logger = logging.getLogger("synalinks")

_current = contextvars.ContextVar("synalinks_sample_failures", default=None)


class SampleFailures:
    """The failures of the samples of one run (an epoch, an evaluation, a prediction)."""

    def __init__(self):
        self.count = 0
        self.by_type = collections.Counter()
        self.first = None

    def record(self, where, error):
        self.count += 1
        self.by_type[type(error).__name__] += 1
        if self.first is None:
            self.first = (where, error)

    def summary(self, what):
        """One line: how many failed, the counts by error type, the first error in full."""
        types = ", ".join(f"{name} {count}" for name, count in self.by_type.most_common())
        where, error = self.first
        return f"{what}: {self.count} sample failures ({types}); the first, in {where}: {error}"


def report_failure(where, error, message, *args):
    """Counts a sample's failure in the run being summed up, or logs `message % args` when there is none."""
    failures = _current.get()
    if failures is None:
        logger.warning(message, *args)
    else:
        failures.record(where, error)


@contextlib.contextmanager
def failures_summed_up(what):
    """Within it, sample failures are counted; at its end one warning line sums them up (none when
    none failed). Tasks started inside share the count.

    Example:

    ```python
    with failures_summed_up("epoch 3"):  # one log line for the epoch's failed samples
        await program.predict(x, verbose=0)
    ```
    """
    failures = SampleFailures()
    token = _current.set(failures)
    try:
        yield failures
    finally:
        _current.reset(token)
        if failures.count:
            logger.warning(failures.summary(what))
