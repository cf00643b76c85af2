"""`prefetched`: the items of an iterable, made ahead of time in a thread."""

import queue
import threading

_END = object()


def prefetched(iterable, depth=2):
    """Yields the items of `iterable` in order, a thread making up to `depth` of them ahead.

    Reading and parsing the next batch of a streamed file then happens while
    the event loop waits on language models, instead of stopping it for the
    time a batch takes to parse. An error raised by `iterable` is raised here,
    at the item where it happened. When the consumer stops early (or is
    closed), the thread stops and the iterable is closed.

    Example:

    ```python
    dataset = synalinks.datasets.JSONLDataset("qa.jsonl", input_data_model=Query, output_data_model=Answer)
    for x_batch, y_batch in prefetched(iter(dataset)):
        print(len(x_batch))
    ```
    """
    items = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry):
        while not stop.is_set():
            try:
                items.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        iterator = iter(iterable)
        try:
            for item in iterator:
                if not put((True, item)):
                    break
            else:
                put((False, _END))
        except BaseException as error:  # handed to the consumer, raised there
            put((False, error))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="synalinks-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            is_item, item = items.get()
            if is_item:
                yield item
            elif item is _END:
                return
            else:
                raise item
    finally:
        stop.set()
        thread.join()
