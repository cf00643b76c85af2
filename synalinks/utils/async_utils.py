"""Run a coroutine from synchronous code, or hand it back to a running loop."""

import asyncio


def run_maybe_sync(coroutine):
    """Runs `coroutine` to completion when no event loop is running.

    This is what lets `program.fit(...)` work from a plain script while
    `await program.fit(...)` works inside a coroutine: with no running loop the
    coroutine is run here and its result returned; inside a running loop the
    coroutine itself is returned for the caller to await.

    Args:
        coroutine: The coroutine to run.

    Returns:
        The coroutine's result, or the coroutine when a loop is running.

    Example:

    ```python
    async def add(a, b):
        return a + b

    assert run_maybe_sync(add(1, 2)) == 3
    ```
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    return coroutine


async def gather_all_or_none(coroutines):
    """Runs the coroutines concurrently and returns their results in order.

    Unlike `asyncio.gather`, when one fails the error is raised only once
    every other coroutine has finished, so no call goes on in the background
    after a batch has failed, and none is left to die with the event loop.

    Example:

    ```python
    results = await gather_all_or_none([program(x) for x in batch])
    ```
    """
    results = await asyncio.gather(*coroutines, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results
