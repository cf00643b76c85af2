"""W14's latencies: sample i's simulated latency, and the work-conserving limit.

Imports nothing from synalinks, so DSPy's side (its own virtualenv) uses the
very same latencies.
"""

import heapq
import math
import random
import re

MEDIAN_SECONDS = 0.05
# A lognormal's p99 is median * exp(2.326 * sigma): sigma = ln(10) / 2.326 puts it at 10x the median (~500 ms).
SIGMA = math.log(10) / 2.326
SAMPLES = 1024
SLOTS = 32


def latency(index):
    """Sample `index`'s latency in seconds, the same in every run and on every side."""
    return random.Random(index).lognormvariate(math.log(MEDIAN_SECONDS), SIGMA)


def sample_index(text):
    """The `i` of the query `q<i>` in a prompt."""
    match = re.search(r"\bq(\d+)\b", text)
    if match is None:
        raise ValueError(f"no query q<i> in the prompt: {text[-200:]!r}")
    return int(match.group(1))


def prompt_latency(messages):
    """The latency of the sample a request's last message is about."""
    content = messages[-1]["content"]
    if isinstance(content, list):
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return latency(sample_index(content))


def work_conserving_makespan(latencies, slots=SLOTS):
    """The makespan when each sample, in order, starts in the first of `slots` slots to free up."""
    free_at = [0.0] * slots
    for seconds in latencies:
        heapq.heappush(free_at, heapq.heappop(free_at) + seconds)
    return max(free_at)
