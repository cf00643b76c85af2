"""`pipelined_batches`: run samples across batch boundaries, hand batches back in order."""

import asyncio
import collections

from synalinks.utils.checks import check_positive_int


class _Batch:
    def __init__(self, step, x_batch, y_batch):
        self.step = step
        self.x = x_batch
        self.y = y_batch
        self.tasks = []
        self.remaining = len(x_batch)  # samples not finished yet

    @property
    def started(self):
        return len(self.tasks) == len(self.x)

    def results(self):
        """The outputs in order; the first error is raised once every sample of the batch has finished."""
        for task in self.tasks:
            if task.exception() is not None:
                raise task.exception()
        return [task.result() for task in self.tasks]


async def pipelined_batches(batches, run_sample, window, on_batch_begin=None):
    """Yields `(step, x_batch, y_batch, outputs)` for each batch, in order, without a barrier between batches.

    Up to `window` samples run at once, and the next batch's samples start as
    soon as a slot frees up, so a slow sample holds back only its own batch's
    results, never the start of other samples. The batch stays the unit of
    results: a batch is handed back when all its samples are done and every
    earlier batch was handed back. When a sample fails, the error is raised
    once its batch is done, and the samples still running are cancelled.

    Args:
        batches: An iterable of `(x_batch, y_batch)`.
        run_sample: `async (x) -> output`.
        window: The most samples in flight (a batch longer than that, from a
            generator, runs whole).
        on_batch_begin: Called with the batch index when its first sample starts.

    Example:

    ```python
    async with contextlib.aclosing(pipelined_batches(data.batches(), program, 32)) as results:
        async for step, x_batch, y_batch, outputs in results:
            ...
    ```
    """
    check_positive_int(window, "window")
    source = enumerate(batches)
    pending = collections.deque()  # batches started and not yet handed back, oldest first
    running = {}  # task -> its batch
    # Samples are started from the done-callback of the sample that frees the slot, and the
    # consumer wakes only when the oldest batch is complete: no scan and no wake-up per sample.
    head_done = asyncio.Event()
    state = {"filling": None, "exhausted": False, "error": None, "closing": False}

    def start_samples():
        try:
            while not state["exhausted"] and not state["closing"]:
                filling = state["filling"]
                if filling is None or filling.started:
                    try:
                        step, (x_batch, y_batch) = next(source)
                    except StopIteration:
                        state["exhausted"] = True
                        break
                    state["filling"] = _Batch(step, x_batch, y_batch)
                    pending.append(state["filling"])
                    if on_batch_begin is not None:
                        on_batch_begin(step)
                    continue
                if len(running) >= max(window, len(filling.x)):
                    break
                task = asyncio.ensure_future(run_sample(filling.x[len(filling.tasks)]))
                task.add_done_callback(sample_done)
                filling.tasks.append(task)
                running[task] = filling
        except BaseException as error:  # from the data or a callback: raised by the consumer
            state["error"], state["exhausted"] = error, True
        if state["exhausted"]:
            head_done.set()

    def sample_done(task):
        batch = running.pop(task)
        batch.remaining -= 1
        if batch.remaining == 0 and pending[0] is batch:
            head_done.set()
        if not state["exhausted"]:
            start_samples()

    try:
        start_samples()
        while True:
            if state["error"] is not None:
                raise state["error"]
            if pending and pending[0].remaining == 0:
                batch = pending.popleft()
                yield batch.step, batch.x, batch.y, batch.results()
                continue
            if not pending and state["exhausted"]:
                return
            head_done.clear()
            await head_done.wait()
    finally:
        state["closing"] = True
        for task in list(running):
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)
