"""Per-sample traces: what each module saw and produced for one sample.

While training, the trainer runs every sample of a batch concurrently, each in
its own asyncio task with its own `Trace` set in a context variable. Modules
record into the trace of the sample they are running for, so a prediction is
always credited to the sample that produced it, whatever order the LM calls
finish in.
"""

import contextvars

_current_trace = contextvars.ContextVar("synalinks_trace", default=None)


class Trace:
    """The calls made for one sample, keyed by the trainable variable that shaped them.

    `calls[variable]` is a list of `(inputs, outputs)` JSON pairs (outputs None on failure).
    """

    __slots__ = ("calls",)

    def __init__(self):
        self.calls = {}

    def record(self, variable, inputs, outputs):
        self.calls.setdefault(variable, []).append((inputs, outputs))


def current_trace():
    """Returns the trace of the sample being run, or None outside training."""
    return _current_trace.get()


async def run_traced(coroutine_function, *args, **kwargs):
    """Awaits `coroutine_function(*args, **kwargs)` with a fresh trace; returns (result, trace).

    Call it inside its own task (e.g. through `asyncio.gather`) so the trace
    is seen only by this sample's module calls.
    """
    trace = Trace()
    token = _current_trace.set(trace)
    try:
        result = await coroutine_function(*args, **kwargs)
    finally:
        _current_trace.reset(token)
    return result, trace
