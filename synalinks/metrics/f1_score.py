"""`F1Score`: word-level F1 between the prediction's and the target's fields."""

from synalinks.metrics.fbeta_score import FBetaScore
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class F1Score(FBetaScore):
    """`FBetaScore` with beta = 1: precision and recall weigh the same.

    Example:

    ```python
    program.compile(..., metrics=[synalinks.metrics.F1Score(average="macro")])
    ```
    """

    def __init__(self, average="micro", in_mask=None, out_mask=None, name="f1_score", direction="up"):
        super().__init__(beta=1.0, average=average, in_mask=in_mask, out_mask=out_mask, name=name, direction=direction)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
