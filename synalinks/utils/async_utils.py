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
        result = []
        asyncio.run(_keep_result(coroutine, result))
        return result[0]
    return coroutine


async def _keep_result(coroutine, result):
    # The result is kept here, not returned: `asyncio.run` formats its main task (result included)
    # when it puts back the SIGINT handler, and the repr of 1,000 predictions costs 10 µs each.
    result.append(await coroutine)


def run_without_waiting(awaitable, who="the coroutine"):
    """Runs an awaitable that finishes without ever waiting, from synchronous code.

    Symbolic computations (an `async def compute_output_spec` that calls other
    modules on symbolic inputs) never wait on anything: they can run to their
    end here, inside or outside an event loop.

    Raises:
        RuntimeError: when the awaitable waits (on I/O, a sleep, a lock).

    Example:

    ```python
    async def double(x):
        return 2 * x

    assert run_without_waiting(double(2)) == 4
    ```
    """
    steps = awaitable.__await__()
    try:
        steps.send(None)
    except StopIteration as finished:
        return finished.value
    steps.close()
    raise RuntimeError(
        f"{who} waited on something (I/O, a sleep, a lock): a symbolic computation must run "
        "without waiting; do the waiting in `call`."
    )


async def gather_all_or_none(coroutines):
    """Runs the coroutines concurrently and returns their results in order.

    Unlike `asyncio.gather`, when one fails the error is raised only once
    every other coroutine has finished, so no call goes on in the background
    after a batch has failed, and none is left to die with the event loop.

    Example:

    ```python
    results = await gather_all_or_none([program(sample) for sample in x])
    ```
    """
    results = await asyncio.gather(*coroutines, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results
