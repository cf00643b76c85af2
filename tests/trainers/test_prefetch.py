"""`prefetched` hands items over in order, raises the iterable's error where it happened, and stops its
thread (closing the iterable) when the consumer stops early."""

import threading

import pytest

from synalinks.trainers.prefetch import prefetched


def test_items_come_in_order_made_in_another_thread():
    threads = []

    def numbers():
        for number in range(100):
            threads.append(threading.current_thread().name)
            yield number

    assert list(prefetched(numbers(), depth=3)) == list(range(100))
    assert set(threads) == {"synalinks-prefetch"}


def test_an_error_is_raised_at_the_item_where_it_happened():
    def failing():
        yield 1
        yield 2
        raise ValueError("line 3 is not JSON")

    seen = []
    with pytest.raises(ValueError, match="line 3 is not JSON"):
        for item in prefetched(failing()):
            seen.append(item)
    assert seen == [1, 2]


def test_stopping_early_stops_the_thread_and_closes_the_iterable():
    closed = threading.Event()

    def endless():
        try:
            number = 0
            while True:
                yield number
                number += 1
        finally:
            closed.set()

    before = threading.active_count()
    stream = prefetched(endless(), depth=2)
    assert [next(stream) for _ in range(5)] == [0, 1, 2, 3, 4]
    stream.close()
    assert closed.wait(2.0), "the generator was closed"
    assert threading.active_count() == before, "no thread left behind"
