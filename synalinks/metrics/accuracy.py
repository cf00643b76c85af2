"""`Accuracy`: the share of predictions that equal their target."""

from synalinks.metrics.mean_metric_wrapper import MeanMetricWrapper
from synalinks.rewards.exact_match import exact_match
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Accuracy(MeanMetricWrapper):
    """The fraction of samples whose prediction equals the target (higher is better).

    Args:
        in_mask: Only compare these fields.
        out_mask: Ignore these fields.
        name: The name in the logs (`accuracy`; `val_accuracy` for validation).

    Example:

    ```python
    program.compile(..., metrics=[synalinks.metrics.Accuracy(in_mask=["answer"])])
    ```
    """

    def __init__(self, in_mask=None, out_mask=None, name="accuracy", direction="up"):
        super().__init__(exact_match, name=name, direction=direction, in_mask=in_mask, out_mask=out_mask)

    def get_config(self):
        return {"name": self.name, "direction": self.direction, **self.fn_kwargs}
