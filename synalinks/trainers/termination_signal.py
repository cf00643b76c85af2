"""`TerminationSignal`: SIGTERM stops `fit` at a safe point, or within a grace period."""

import asyncio
import signal
import threading

DEFAULT_GRACE_SECONDS = 5.0


class TerminationSignal:
    """Catches SIGTERM while `fit` runs and asks it to stop.

    The batch in progress may finish (so its work is kept) if it does so
    within `grace_seconds`; a batch still running then (a hanging LM call) is
    cancelled, so `fit` stops within a few seconds either way. The handler that
    was there before is put back afterwards. Only the main thread can catch
    signals: elsewhere this does nothing.

    Args:
        on_signal: Called with no argument when SIGTERM arrives.
        grace_seconds: How long the batch in progress may still run.

    Example:

    ```python
    async def train_batch():
        return {"reward": 1.0}


    termination = TerminationSignal(on_signal=lambda: print("stopping"))
    with termination:
        logs = await termination.run(train_batch())  # None when SIGTERM's grace period ran out
    ```
    """

    def __init__(self, on_signal, grace_seconds=DEFAULT_GRACE_SECONDS):
        self.on_signal = on_signal
        self.grace_seconds = grace_seconds
        self.received = False
        self._loop = None
        self._previous = None
        self._batch = None
        self._timer = None

    def __enter__(self):
        if threading.current_thread() is not threading.main_thread():
            return self
        try:
            loop = asyncio.get_running_loop()
            self._previous = signal.getsignal(signal.SIGTERM)
            loop.add_signal_handler(signal.SIGTERM, self._handle)
            self._loop = loop
        except (RuntimeError, ValueError, NotImplementedError):
            self._loop = None
        return self

    def __exit__(self, *exc_info):
        if self._timer is not None:
            self._timer.cancel()
        if self._loop is not None:
            self._loop.remove_signal_handler(signal.SIGTERM)
            signal.signal(signal.SIGTERM, self._previous if self._previous is not None else signal.SIG_DFL)
            self._loop = None
        return False

    def _handle(self):
        self.received = True
        self.on_signal()
        if self._timer is None and self._loop is not None:
            self._timer = self._loop.call_later(self.grace_seconds, self._cancel_batch)

    def _cancel_batch(self):
        if self._batch is not None and not self._batch.done():
            self._batch.cancel()

    async def run(self, coroutine):
        """Runs one batch; returns its result, or None when SIGTERM's grace period cancelled it."""
        self._batch = asyncio.ensure_future(coroutine)
        try:
            return await self._batch
        except asyncio.CancelledError:
            if self.received and self._batch.cancelled():
                current = asyncio.current_task()
                if current is None or not current.cancelling():
                    return None
            raise
        finally:
            self._batch = None
