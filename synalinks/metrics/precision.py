"""`Precision`: the share of predicted words that are in the target."""

from synalinks.metrics.f1_score import F1Score
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Precision(F1Score):
    """Word-level precision of the prediction's fields, averaged like `FBetaScore`.

    Arguments: those of `F1Score`.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.Precision(in_mask=["answer"])])
    ```
    """

    formula = "precision"

    def __init__(
        self,
        average="micro",
        name="precision",
        in_mask=None,
        out_mask=None,
        in_mask_pattern=None,
        out_mask_pattern=None,
        direction="up",
    ):
        super().__init__(
            average=average,
            name=name,
            in_mask=in_mask,
            out_mask=out_mask,
            in_mask_pattern=in_mask_pattern,
            out_mask_pattern=out_mask_pattern,
            direction=direction,
        )
