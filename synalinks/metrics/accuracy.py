"""`Accuracy`: the share of predictions that equal their target."""

from synalinks.metrics.fbeta_score import AVERAGES
from synalinks.metrics.mean_metric_wrapper import MeanMetricWrapper
from synalinks.rewards.exact_match import exact_match
from synalinks.saving.object_registry import register_synalinks_serializable


def check_average(average):
    if average is not None and average not in AVERAGES:
        raise ValueError(f"`average` must be None or one of {AVERAGES}, got {average!r}.")
    return average


@register_synalinks_serializable(package="synalinks")
class Accuracy(MeanMetricWrapper):
    """The fraction of samples whose (masked) prediction equals the target (higher is better).

    Args:
        average: Accepted for Synalinks code (None or "micro" / "macro" /
            "weighted"); a sample counts as right only when all its masked
            fields are.
        name: The name in the logs (`accuracy`; `val_accuracy` for validation).
        in_mask, out_mask, in_mask_pattern, out_mask_pattern: The fields
            compared (see `synalinks.rewards.Reward`).
        direction: "up".

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.Accuracy(in_mask=["answer"])])
    ```
    """

    def __init__(
        self,
        average=None,
        name="accuracy",
        in_mask=None,
        out_mask=None,
        in_mask_pattern=None,
        out_mask_pattern=None,
        direction="up",
    ):
        self.average = check_average(average)
        masks = {
            "in_mask": in_mask,
            "out_mask": out_mask,
            "in_mask_pattern": in_mask_pattern,
            "out_mask_pattern": out_mask_pattern,
        }
        super().__init__(
            exact_match, name=name, direction=direction, **{k: v for k, v in masks.items() if v is not None}
        )

    def get_config(self):
        return {"average": self.average, "name": self.name, "direction": self.direction, **self.fn_kwargs}
