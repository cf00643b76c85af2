"""`ConcurrencyLimiter`: at most N calls at once and at most R calls a minute."""

import asyncio
import collections
import threading
import time
import weakref
from typing import Any

_shared: dict[Any, Any] = {}
_shared_lock = threading.Lock()


class ConcurrencyLimiter:
    """Limits calls to a model: `max_concurrency` at once, `requests_per_minute` a minute.

    Use it as `async with limiter: ...`. It works across event loops (each
    `program.fit(...)` from synchronous code runs its own loop): the asyncio
    primitives are made per loop.

    Args:
        max_concurrency: The most calls at once (None: no limit).
        requests_per_minute: The most calls started in any 60 seconds (None: no limit).
    """

    def __init__(self, max_concurrency=None, requests_per_minute=None):
        self.max_concurrency = max_concurrency
        self.requests_per_minute = requests_per_minute
        self._per_loop = weakref.WeakKeyDictionary()
        self._starts = collections.deque()

    @classmethod
    def shared(cls, key, max_concurrency=None, requests_per_minute=None):
        """The limiter for `key`, created once per process, so every module using a model shares it."""
        full_key = (key, max_concurrency, requests_per_minute)
        with _shared_lock:
            limiter = _shared.get(full_key)
            if limiter is None:
                limiter = _shared[full_key] = cls(max_concurrency, requests_per_minute)
            return limiter

    def _primitives(self):
        loop = asyncio.get_running_loop()
        primitives = self._per_loop.get(loop)
        if primitives is None:
            semaphore = asyncio.Semaphore(self.max_concurrency) if self.max_concurrency else None
            primitives = self._per_loop[loop] = (semaphore, asyncio.Lock())
        return primitives

    async def _wait_for_rate(self, lock):
        async with lock:
            while True:
                now = time.monotonic()
                while self._starts and now - self._starts[0] >= 60.0:
                    self._starts.popleft()
                if len(self._starts) < self.requests_per_minute:
                    self._starts.append(now)
                    return
                await asyncio.sleep(60.0 - (now - self._starts[0]))

    async def __aenter__(self):
        semaphore, lock = self._primitives()
        if semaphore is not None:
            await semaphore.acquire()
        if self.requests_per_minute:
            try:
                await self._wait_for_rate(lock)
            except BaseException:
                if semaphore is not None:
                    semaphore.release()
                raise
        return self

    async def __aexit__(self, *exc_info):
        semaphore, _ = self._primitives()
        if semaphore is not None:
            semaphore.release()
