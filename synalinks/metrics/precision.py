"""`Precision`: the share of predicted words that are in the target."""

from synalinks.metrics.f1_score import F1Score
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Precision(F1Score):
    """Word-level precision of the prediction's fields, averaged like `FBetaScore`.

    Example:

    ```python
    program.compile(..., metrics=[synalinks.metrics.Precision(in_mask=["answer"])])
    ```
    """

    def __init__(self, average="micro", in_mask=None, out_mask=None, name="precision", direction="up"):
        super().__init__(average=average, in_mask=in_mask, out_mask=out_mask, name=name, direction=direction)

    def score(self, true_positives, false_positives, false_negatives):
        predicted = true_positives + false_positives
        if predicted == 0:
            return 1.0 if false_negatives == 0 else 0.0
        return true_positives / predicted
