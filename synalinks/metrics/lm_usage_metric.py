"""`LMUsageMetric`: calls, tokens, cost or latency of the program's language models, as a metric."""

from synalinks.metrics.metric import Metric
from synalinks.saving.object_registry import register_synalinks_serializable

FIELDS = ("calls", "cache_hits", "failures", "prompt_tokens", "completion_tokens", "cost", "latency", "mean_latency")


@register_synalinks_serializable(package="synalinks")
class LMUsageMetric(Metric):
    """What the program's language models used since the metric was reset (each epoch).

    Compile it like any metric to see it in the logs and monitor it, e.g. with
    `ProgramCheckpoint(monitor="val_lm_cost", mode="min")`. It is lower-is-better.

    Args:
        field: One of "calls", "cache_hits", "failures", "prompt_tokens",
            "completion_tokens", "cost", "latency", "mean_latency".
        name: The name in the logs (default `lm_<field>`).

    Example:

    ```python
    program.compile(..., metrics=[synalinks.metrics.LMUsageMetric("cost"), synalinks.metrics.LMUsageMetric("calls")])
    ```
    """

    def __init__(self, field="calls", name=None, direction="down"):
        if field not in FIELDS:
            raise ValueError(f"`field` must be one of {FIELDS}, got {field!r}.")
        super().__init__(name=name or f"lm_{field}", direction=direction)
        self.field = field
        self._program = None
        self._start = {}

    def set_program(self, program):
        """Called by `compile`: the program whose language models are measured."""
        self._program = program
        self.reset_state()

    def _totals(self):
        if self._program is None:
            return {}
        return {model: dict(usage) for model, usage in self._program.lm_usage().items()}

    def update_state(self, y_true=None, y_pred=None):
        pass  # the language models count; nothing to accumulate here

    def reset_state(self):
        self._start = self._totals()

    def result(self):
        now = self._totals()
        if self.field == "mean_latency":
            calls = sum(usage["calls"] - self._start.get(model, {}).get("calls", 0) for model, usage in now.items())
            latency = sum(
                usage["latency"] - self._start.get(model, {}).get("latency", 0) for model, usage in now.items()
            )
            return latency / calls if calls else 0.0
        return sum(usage[self.field] - self._start.get(model, {}).get(self.field, 0) for model, usage in now.items())

    def get_config(self):
        return {"field": self.field, "name": self.name, "direction": self.direction}
