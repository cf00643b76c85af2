"""Scores of binary fields (booleans, or numbers cut at a threshold), each field one class:
`BinaryFBetaScore`, `BinaryF1Score`, `BinaryPrecision`, `BinaryRecall`."""

from synalinks.metrics.confusion_score import ConfusionScore
from synalinks.saving.object_registry import register_synalinks_serializable


def is_positive(value, threshold):
    """A field's value as a class decision: True, a number above `threshold`, or "true" / "yes"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value > threshold
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1")
    return False


@register_synalinks_serializable(package="synalinks")
class BinaryFBetaScore(ConfusionScore):
    """F-beta over binary fields: each field of the target is one class (multi-label classification).

    A field is positive when it is True or a number above `threshold` (a
    `synalinks.Score` field, say). Counts are kept per field over the epoch.

    Args:
        average: "micro" (default), "macro" or "weighted" (see `ConfusionScore`).
        beta: Weight of recall against precision.
        threshold: The cut for numeric fields.
        name, in_mask, out_mask, in_mask_pattern, out_mask_pattern, direction:
            As for `FBetaScore`.

    Example:

    ```python
    class Topics(synalinks.DataModel):
        sports: bool
        politics: bool

    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.BinaryFBetaScore(average="macro")])
    ```
    """

    def __init__(
        self,
        average="micro",
        beta=1.0,
        threshold=0.5,
        name="binary_fbeta_score",
        in_mask=None,
        out_mask=None,
        in_mask_pattern=None,
        out_mask_pattern=None,
        direction="up",
    ):
        super().__init__(
            average=average,
            beta=beta,
            name=name,
            in_mask=in_mask,
            out_mask=out_mask,
            in_mask_pattern=in_mask_pattern,
            out_mask_pattern=out_mask_pattern,
            direction=direction,
        )
        self.threshold = float(threshold)

    def sample_counts(self, expected, found):
        counts = {}
        for field, value in expected.items():
            actual = is_positive(value, self.threshold)
            predicted = is_positive(found.get(field), self.threshold)
            counts[field] = (actual and predicted, predicted and not actual, actual and not predicted, actual)
        return counts

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}


@register_synalinks_serializable(package="synalinks")
class BinaryF1Score(BinaryFBetaScore):
    """`BinaryFBetaScore` with beta = 1.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.BinaryF1Score()])
    ```
    """

    def __init__(self, average="micro", threshold=0.5, name="binary_f1_score", **kwargs):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config


@register_synalinks_serializable(package="synalinks")
class BinaryPrecision(BinaryF1Score):
    """The share of the fields predicted positive that are positive.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.BinaryPrecision()])
    ```
    """

    formula = "precision"

    def __init__(self, average="micro", threshold=0.5, name="binary_precision", **kwargs):
        super().__init__(average=average, threshold=threshold, name=name, **kwargs)


@register_synalinks_serializable(package="synalinks")
class BinaryRecall(BinaryF1Score):
    """The share of the positive fields predicted positive.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.BinaryRecall()])
    ```
    """

    formula = "recall"

    def __init__(self, average="micro", threshold=0.5, name="binary_recall", **kwargs):
        super().__init__(average=average, threshold=threshold, name=name, **kwargs)
