"""`F1Score`: word-level F1 between the prediction's and the target's fields."""

from synalinks.metrics.fbeta_score import FBetaScore
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class F1Score(FBetaScore):
    """`FBetaScore` with beta = 1: precision and recall weigh the same.

    Arguments: those of `FBetaScore`, without `beta`.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.F1Score(average="macro")])
    ```
    """

    def __init__(
        self,
        average="micro",
        name="f1_score",
        in_mask=None,
        out_mask=None,
        in_mask_pattern=None,
        out_mask_pattern=None,
        direction="up",
    ):
        super().__init__(
            average=average,
            beta=1.0,
            name=name,
            in_mask=in_mask,
            out_mask=out_mask,
            in_mask_pattern=in_mask_pattern,
            out_mask_pattern=out_mask_pattern,
            direction=direction,
        )

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
