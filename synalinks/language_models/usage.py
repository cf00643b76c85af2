"""`Usage`: what a language model has cost so far: calls, tokens, money, time."""

from synalinks.language_models.latency_histogram import LatencyHistogram
from synalinks.utils.reply_fields import field_of


def reply_usage(response):
    """`(prompt_tokens, completion_tokens, cost)` as a provider reply (or litellm) reports them."""
    usage = field_of(response, "usage")
    hidden = getattr(response, "_hidden_params", None) or {}
    cost = hidden.get("response_cost") if isinstance(hidden, dict) else None
    if cost is None and isinstance(response, dict):
        cost = response.get("cost")
    return (
        int(field_of(usage, "prompt_tokens") or 0),
        int(field_of(usage, "completion_tokens") or 0),
        float(cost or 0.0),
    )


class Usage:
    """Counters of one language model, added up over its whole life.

    Attributes:
        calls: Requests sent to the provider (retries included; cache hits not).
        cache_hits: Requests answered from the response cache.
        failures: Requests that failed (errors and invalid replies).
        prompt_tokens: Tokens sent, as reported by the provider.
        completion_tokens: Tokens received, as reported by the provider.
        cost: Cost in USD, where the provider (or litellm's price list) tells it.
        latency: Seconds spent waiting for replies, in total.
        latencies: A `LatencyHistogram` of the replies' latencies (for percentiles).

    Example:

    ```python
    language_model.usage.as_dict()
    # {"calls": 12, "cache_hits": 0, "failures": 0, "prompt_tokens": 3400, ...}
    ```
    """

    FIELDS = ("calls", "cache_hits", "failures", "prompt_tokens", "completion_tokens", "cost", "latency")

    def __init__(self):
        self.reset()

    def reset(self):
        self.calls = 0
        self.cache_hits = 0
        self.failures = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.cost = 0.0
        self.latency = 0.0
        self.latencies = LatencyHistogram()

    def record_reply(self, response, latency):
        """Adds the tokens and cost a provider reply reports, and its latency; returns
        `(prompt_tokens, completion_tokens, cost)` of this reply."""
        self.latency += latency
        self.latencies.add(latency)
        prompt_tokens, completion_tokens, cost = reply_usage(response)
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens
        self.cost += cost
        return prompt_tokens, completion_tokens, cost

    def state(self):
        """The counters and the latency histogram as JSON (what `since` and `add` take)."""
        return {**{name: getattr(self, name) for name in self.FIELDS}, "latencies": self.latencies.as_dict()}

    def since(self, earlier):
        """What was used since `earlier` (a `state()`), as a state."""
        now = self.state()
        delta = {name: now[name] - earlier.get(name, 0) for name in self.FIELDS}
        delta["latencies"] = self.latencies.minus(
            {int(b): c for b, c in earlier.get("latencies", {}).items()}
        ).as_dict()
        return delta

    def add(self, delta):
        """Counts what another process' copy of the model used (a `since` state), e.g. a Ray worker's."""
        for name in self.FIELDS:
            setattr(self, name, getattr(self, name) + delta.get(name, 0))
        self.latencies = self.latencies.plus(delta.get("latencies"))

    def as_dict(self):
        """The counters, with the mean latency per call."""
        values = {name: getattr(self, name) for name in self.FIELDS}
        values["mean_latency"] = self.latency / self.calls if self.calls else 0.0
        for q in (50, 95, 99):
            values[f"latency_p{q}"] = self.latencies.percentile(q)
        return values

    def __repr__(self):
        return f"<Usage {self.as_dict()}>"
