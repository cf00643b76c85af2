"""`pipelined_batches`: run samples across batch boundaries, hand batches back in order."""

import asyncio
import collections

from synalinks.utils.checks import check_positive_int

# Batches started but not handed back are at most this many windows' worth (at least two batches): a
# consumer slower than the model (a disk sync, a metric) holds back the reading and the samples instead
# of letting finished batches pile up in memory, whatever the model's speed. Enough for a long tail: one
# sample 30 times slower than the median holds back its batch, not the slots (W14: 4 windows left them
# idle half the time, efficiency 0.50; 64 give 0.99), and 64 windows of outputs are a few MB.
MAX_SAMPLES_AHEAD = 64
_WAIT = object()


class _Batch:
    __slots__ = ("step", "x", "y", "outputs", "errors", "started", "remaining")

    def __init__(self, step, x_batch, y_batch):
        self.step = step
        self.x = x_batch
        self.y = y_batch
        self.outputs = [None] * len(x_batch)
        self.errors = {}  # index -> the exception of a failed sample
        self.started = 0  # samples handed to a worker so far
        self.remaining = len(x_batch)  # samples not finished yet

    def results(self):
        """The outputs in order; the first error (in input order) is raised instead, if any."""
        if self.errors:
            raise self.errors[min(self.errors)]
        return self.outputs


async def pipelined_batches(batches, run_sample, window, on_batch_begin=None):
    """Yields `(step, x_batch, y_batch, outputs)` for each batch, in order, without a barrier between batches.

    `window` workers each run one sample at a time and take the next one
    (from the same batch or the next) the moment theirs is done, so a slow
    sample holds back only its own batch's results, never the start of other
    samples, and a worker goes straight from one sample's reply to the next
    sample's request (no trip through the event loop's queue per sample,
    which at hundreds of samples in flight left LM slots idle). The batch
    stays the unit of results: a batch is handed back when all its samples are
    done and every earlier batch was handed back. When a sample fails, the
    error is raised once its batch is done, and the samples still running are
    cancelled. At most `MAX_SAMPLES_AHEAD` windows of samples (two batches
    at least) are started and not yet handed back: with a fast model and a
    slow consumer, memory stays flat.

    Args:
        batches: An iterable of `(x_batch, y_batch)`.
        run_sample: `async (x) -> output`.
        window: The most samples in flight (a batch longer than that, from a
            generator, runs whole).
        on_batch_begin: Called with the batch index when its first sample starts.

    Example:

    ```python
    import contextlib

    batches = [(x[:2], y[:2]), (x[2:], y[2:])]
    async with contextlib.aclosing(pipelined_batches(batches, program, 32)) as results:
        async for step, x_batch, y_batch, outputs in results:
            print(step, len(outputs))
    ```
    """
    check_positive_int(window, "window")
    source = enumerate(batches)
    pending = collections.deque()  # batches started and not yet handed back, oldest first
    head_done = asyncio.Event()  # set when the oldest batch may be complete (or the data ran out)
    room = asyncio.Event()  # set when the consumer took a batch: a worker held back may start the next one
    state = {"filling": None, "exhausted": False, "error": None, "held": 0}
    workers = []
    most_pending = max(2, (MAX_SAMPLES_AHEAD * window + window - 1) // window)

    def next_sample():
        """`(batch, index)` of the next sample to run, None once the data ran out, or `_WAIT` while
        enough batches wait for the consumer."""
        while True:
            filling = state["filling"]
            if filling is not None and filling.started < len(filling.x):
                filling.started += 1
                return filling, filling.started - 1
            if state["exhausted"]:
                return None
            if len(pending) >= most_pending:  # the consumer is behind: read and run no more until it catches up
                return _WAIT
            try:
                step, (x_batch, y_batch) = next(source)
                batch = _Batch(step, x_batch, y_batch)
                state["filling"] = batch
                pending.append(batch)
                if on_batch_begin is not None:
                    on_batch_begin(step)
            except StopIteration:
                state["exhausted"] = True
            except BaseException as error:  # from the data or a callback: raised by the consumer
                state["error"], state["exhausted"] = error, True
            else:
                while len(workers) < len(x_batch):  # a batch longer than the window runs whole
                    workers.append(asyncio.ensure_future(work()))
                if batch.remaining:
                    continue
            head_done.set()  # an empty batch, the end of the data or an error: the consumer looks

    async def work():
        while (item := next_sample()) is not None:
            if item is _WAIT:
                room.clear()
                await room.wait()
                continue
            batch, index = item
            try:
                batch.outputs[index] = await run_sample(batch.x[index])
            except Exception as error:
                batch.errors[index] = error
            batch.remaining -= 1
            if batch.remaining == 0 and pending and pending[0] is batch:
                head_done.set()

    try:
        for _ in range(window):
            if state["exhausted"]:
                break
            workers.append(asyncio.ensure_future(work()))
        while True:
            if state["error"] is not None:
                raise state["error"]
            if pending and pending[0].remaining == 0:
                batch = pending.popleft()
                room.set()
                yield batch.step, batch.x, batch.y, batch.results()
                continue
            if not pending and state["exhausted"]:
                return
            head_done.clear()
            await head_done.wait()
    finally:
        state["exhausted"] = True  # no new sample starts
        room.set()
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
