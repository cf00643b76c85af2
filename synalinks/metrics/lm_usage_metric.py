"""`LMUsageMetric`: calls, tokens, cost, latency or failures of the program's language models, as a metric."""

import re

from synalinks.language_models.latency_histogram import LatencyHistogram
from synalinks.metrics.metric import Metric
from synalinks.saving.object_registry import register_synalinks_serializable

COUNTERS = ("calls", "cache_hits", "failures", "prompt_tokens", "completion_tokens", "cost", "latency")
PERCENTILES = {"latency_p50": 50, "latency_p95": 95, "latency_p99": 99}
FIELDS = (*COUNTERS, "mean_latency", *PERCENTILES)


@register_synalinks_serializable(package="synalinks")
class LMUsageMetric(Metric):
    """What the program's language models used since the metric was reset (each epoch, each evaluation).

    Compile it like any metric to see it in the logs and monitor it, e.g. with
    `ProgramCheckpoint(monitor="val_lm_cost", mode="min")`. It is
    lower-is-better. Its state is saved with a `BackupAndRestore` backup, so
    after a resume it reports what an uninterrupted run would have.

    Args:
        field: One of "calls", "cache_hits", "failures", "prompt_tokens",
            "completion_tokens", "cost", "latency" (seconds in all),
            "mean_latency", "latency_p50", "latency_p95", "latency_p99".
        name: The name in the logs (default `lm_<field>`, or
            `<model name>_<field>` for one model).
        direction: "down" (lower is better), "up" or None.
        language_model: Only this model's calls (a `LanguageModel` or its
            name); by default those of every model of the program.

    Example:

    ```python
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        metrics=[
            *synalinks.metrics.LMUsageMetric.all(),  # calls, tokens, cost, p50/p95 latency, failures, cache hits
            synalinks.metrics.LMUsageMetric("cost", language_model="judge"),
        ],
    )
    ```
    """

    DEFAULT_FIELDS = ("calls", "prompt_tokens", "completion_tokens", "cost", "latency_p50", "latency_p95")

    def __init__(self, field="calls", name=None, direction="down", language_model=None):
        if field not in FIELDS:
            raise ValueError(f"`field` must be one of {FIELDS}, got {field!r}.")
        model_name = getattr(language_model, "name", language_model)
        if model_name is not None and not isinstance(model_name, str):
            raise TypeError(
                f"`language_model` must be a LanguageModel or its name, got {type(language_model).__name__}."
            )
        default_name = f"lm_{field}" if model_name is None else f"{re.sub(r'[^0-9A-Za-z]+', '_', model_name)}_{field}"
        super().__init__(name=name or default_name, direction=direction)
        self.field = field
        self.language_model = model_name
        self._program = None
        self._start = {}

    @classmethod
    def all(cls, fields=None, language_model=None):
        """One metric per field (by default calls, prompt and completion tokens, cost, p50 and p95 latency,
        failures and cache hits)."""
        fields = fields or (*cls.DEFAULT_FIELDS, "failures", "cache_hits")
        return [cls(field, language_model=language_model) for field in fields]

    def set_program(self, program):
        """Called by `compile`: the program whose language models are measured."""
        self._program = program
        self.reset_state()

    def _now(self):
        """`{"counters": {...}, "latencies": {bucket: count}}` of the measured models, added up over their life."""
        counters = dict.fromkeys(COUNTERS, 0)
        latencies = LatencyHistogram()
        for language_model in self._program.language_models() if self._program is not None else []:
            if self.language_model is not None and language_model.name != self.language_model:
                continue
            for counter in COUNTERS:
                counters[counter] += getattr(language_model.usage, counter)
            latencies = latencies.plus(language_model.usage.latencies)
        return {"counters": counters, "latencies": latencies.as_dict()}

    def _since_start(self):
        now = self._now()
        start = self._start or {"counters": {}, "latencies": {}}
        counters = {key: value - start["counters"].get(key, 0) for key, value in now["counters"].items()}
        latencies = LatencyHistogram({int(b): c for b, c in now["latencies"].items()}).minus(
            {int(b): c for b, c in start["latencies"].items()}
        )
        return counters, latencies

    def update_state(self, y_true=None, y_pred=None):
        pass  # the language models count; nothing to accumulate here

    def reset_state(self):
        self._start = self._now()

    def result(self):
        counters, latencies = self._since_start()
        if self.field == "mean_latency":
            return counters["latency"] / counters["calls"] if counters["calls"] else 0.0
        if self.field in PERCENTILES:
            return latencies.percentile(PERCENTILES[self.field])
        return counters[self.field]

    def get_state(self):
        """What was used since the last reset (a backup keeps it)."""
        counters, latencies = self._since_start()
        return {"counters": counters, "latencies": latencies.as_dict()}

    def set_state(self, state):
        """Counts on from `state` (a resumed run): the usage of the process so far is not this epoch's."""
        if not state:
            return
        now = self._now()
        saved = {int(b): c for b, c in state.get("latencies", {}).items()}
        start_latencies = LatencyHistogram({int(b): c for b, c in now["latencies"].items()}).minus(saved)
        self._start = {
            "counters": {key: value - state["counters"].get(key, 0) for key, value in now["counters"].items()},
            "latencies": {bucket: count for bucket, count in start_latencies.counts.items()},
        }

    def get_config(self):
        return {
            "field": self.field,
            "name": self.name,
            "direction": self.direction,
            "language_model": self.language_model,
        }
