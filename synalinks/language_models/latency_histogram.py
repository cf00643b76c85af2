"""`LatencyHistogram`: call latencies in logarithmic buckets, for percentiles in bounded memory."""

import math

SMALLEST = 1e-4  # seconds: the lower edge of the first bucket
GROWTH = 1.05  # each bucket is 5% wider than the one before: percentiles within 2.5%


class LatencyHistogram:
    """Counts latencies per bucket; percentiles come from the buckets, whatever the number of calls.

    The counts are plain JSON (`{bucket: count}`), so a histogram is saved
    with a backup, subtracted (what happened since a point) and added up
    across processes.

    Example:

    ```python
    histogram = LatencyHistogram()
    for seconds in (0.2, 0.3, 1.5):
        histogram.add(seconds)
    histogram.percentile(50)  # about 0.3
    ```
    """

    __slots__ = ("counts",)

    def __init__(self, counts=None):
        self.counts = {int(bucket): int(count) for bucket, count in (counts or {}).items() if count}

    def add(self, seconds):
        bucket = int(math.log(seconds / SMALLEST, GROWTH)) if seconds > SMALLEST else 0
        self.counts[bucket] = self.counts.get(bucket, 0) + 1

    @property
    def total(self):
        return sum(self.counts.values())

    def percentile(self, q):
        """The latency (seconds) under which `q` percent of the calls fell (0.0 when there is none)."""
        total = self.total
        if not total:
            return 0.0
        rank = max(1, math.ceil(q / 100 * total))
        seen = 0
        for bucket in sorted(self.counts):
            seen += self.counts[bucket]
            if seen >= rank:
                return SMALLEST * GROWTH ** (bucket + 0.5)  # the bucket's middle
        return SMALLEST * GROWTH ** (max(self.counts) + 0.5)

    def minus(self, earlier):
        """The calls counted since `earlier` (a histogram or its counts)."""
        earlier = earlier.counts if isinstance(earlier, LatencyHistogram) else earlier or {}
        return LatencyHistogram({b: c - earlier.get(b, 0) for b, c in self.counts.items()})

    def plus(self, other):
        other = other.counts if isinstance(other, LatencyHistogram) else other or {}
        counts = dict(self.counts)
        for bucket, count in other.items():
            counts[int(bucket)] = counts.get(int(bucket), 0) + count
        return LatencyHistogram(counts)

    def as_dict(self):
        """The counts as JSON (string keys)."""
        return {str(bucket): count for bucket, count in sorted(self.counts.items())}
