"""`MeanMetricWrapper`: the mean over samples of `fn(y_true, y_pred)`."""

import inspect

from synalinks.data_models.json_data_model import to_json_data_model
from synalinks.metrics.mean import Mean
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class MeanMetricWrapper(Mean):
    """A metric that averages `fn(y_true, y_pred, **kwargs)` over the samples.

    `fn` gets `JsonDataModel`s (`y_pred` may be None when the program failed
    for a sample) and returns a number; it may be `async` (or a `Reward`, to
    show a reward as a metric), and `update_state` is awaitable then. Register `fn` to save programs that use it.

    Args:
        fn: The per-sample function.
        name: The name in the logs.
        direction: "up", "down" or None.
        **kwargs: Passed to `fn`.

    Example:

    ```python
    @synalinks.saving.register_synalinks_serializable()
    def answered(y_true, y_pred):
        return 0.0 if y_pred is None else 1.0

    metric = synalinks.metrics.MeanMetricWrapper(answered, name="answered", direction="up")
    ```
    """

    def __init__(self, fn, name=None, direction=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", "mean"), direction=direction)
        self.fn = fn
        self.fn_kwargs = kwargs

    def update_state(self, y_true, y_pred):
        values = [
            self.fn(to_json_data_model(true), to_json_data_model(pred), **self.fn_kwargs)
            for true, pred in zip(y_true, y_pred)
        ]
        if any(inspect.isawaitable(value) for value in values):  # an async function, or a Reward
            return self._update_awaited(values)
        super().update_state(values)

    async def _update_awaited(self, values):
        super().update_state([await value if inspect.isawaitable(value) else value for value in values])

    def get_config(self):
        return {"fn": self.fn, "name": self.name, "direction": self.direction, **self.fn_kwargs}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
