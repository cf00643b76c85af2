"""Scores of label sets (a field's string, or the items of its list, are labels):
`CategoricalFBetaScore` (also `ListFBetaScore`), `CategoricalF1Score` (`ListF1Score`),
`CategoricalPrecision`, `CategoricalRecall`."""

import json

from synalinks.metrics.confusion_score import ConfusionScore
from synalinks.saving.object_registry import register_synalinks_serializable


def label_set(value):
    """The labels in a dict of fields: each string, each list item (other values as JSON text)."""
    labels = set()
    for item in value.values():
        for label in item if isinstance(item, (list, tuple)) else [item]:
            if label is not None:
                labels.add(label if isinstance(label, str) else json.dumps(label, sort_keys=True))
    return labels


@register_synalinks_serializable(package="synalinks")
class CategoricalFBetaScore(ConfusionScore):
    """F-beta over labels: single- or multi-label classification, or the sources of a retrieval.

    Each string value (or list item) of the masked fields is one label; the
    target's and the prediction's label sets are compared. With `labels`,
    counts are kept per label (so "macro" and "weighted" average over them);
    without, the label sets are pooled.

    Args:
        average: "micro" (default), "macro" or "weighted".
        beta: Weight of recall against precision.
        labels: The labels to count separately (optional).
        name, in_mask, out_mask, in_mask_pattern, out_mask_pattern, direction:
            As for `FBetaScore`.

    Example:

    ```python
    class AnswerWithSources(synalinks.DataModel):
        sources: list[str]
        answer: str

    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.ListF1Score(in_mask=["sources"])])
    ```
    """

    def __init__(
        self,
        average="micro",
        beta=1.0,
        labels=None,
        name="categorical_fbeta_score",
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
        self.labels = list(labels) if labels is not None else None

    def sample_counts(self, expected, found):
        actual, predicted = label_set(expected), label_set(found)
        if self.labels is None:
            return {"labels": (len(actual & predicted), len(predicted - actual), len(actual - predicted), len(actual))}
        return {
            label: (
                label in actual and label in predicted,
                label in predicted and label not in actual,
                label in actual and label not in predicted,
                label in actual,
            )
            for label in self.labels
        }

    def get_config(self):
        return {**super().get_config(), "labels": self.labels}


@register_synalinks_serializable(package="synalinks")
class CategoricalF1Score(CategoricalFBetaScore):
    """`CategoricalFBetaScore` with beta = 1.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.CategoricalF1Score(labels=["a", "b"], average="macro")])
    ```
    """

    def __init__(self, average="micro", labels=None, name="categorical_f1_score", **kwargs):
        super().__init__(average=average, beta=1.0, labels=labels, name=name, **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config


@register_synalinks_serializable(package="synalinks")
class CategoricalPrecision(CategoricalF1Score):
    """The share of predicted labels that are right.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.CategoricalPrecision()])
    ```
    """

    formula = "precision"

    def __init__(self, average="micro", labels=None, name="categorical_precision", **kwargs):
        super().__init__(average=average, labels=labels, name=name, **kwargs)


@register_synalinks_serializable(package="synalinks")
class CategoricalRecall(CategoricalF1Score):
    """The share of the target's labels that were predicted.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.CategoricalRecall()])
    ```
    """

    formula = "recall"

    def __init__(self, average="micro", labels=None, name="categorical_recall", **kwargs):
        super().__init__(average=average, labels=labels, name=name, **kwargs)


# Synalinks' names for them, as for retrieval: the items of a list field are the labels.
ListFBetaScore = CategoricalFBetaScore
ListF1Score = CategoricalF1Score
