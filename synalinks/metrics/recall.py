"""`Recall`: the share of the target's words found in the prediction."""

from synalinks.metrics.f1_score import F1Score
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Recall(F1Score):
    """Word-level recall of the prediction's fields, averaged like `FBetaScore`.

    Example:

    ```python
    program.compile(..., metrics=[synalinks.metrics.Recall(in_mask=["answer"])])
    ```
    """

    def __init__(self, average="micro", in_mask=None, out_mask=None, name="recall", direction="up"):
        super().__init__(average=average, in_mask=in_mask, out_mask=out_mask, name=name, direction=direction)

    def score(self, true_positives, false_positives, false_negatives):
        actual = true_positives + false_negatives
        if actual == 0:
            return 1.0 if false_positives == 0 else 0.0
        return true_positives / actual
