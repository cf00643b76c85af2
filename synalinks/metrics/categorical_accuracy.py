"""`CategoricalAccuracy`: the share of samples whose predicted label set is the target's."""

from synalinks.metrics.binary_accuracy import BinaryAccuracy
from synalinks.metrics.categorical_fbeta_score import label_set
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class CategoricalAccuracy(BinaryAccuracy):
    """1 for a sample whose predicted labels (the strings, or list items, of its masked fields)
    are exactly the target's, else 0; averaged over the samples. With `labels`, only those
    labels are compared.

    Args:
        average: Accepted for Synalinks code.
        labels: The labels to compare (optional: all by default).
        name, in_mask, out_mask, in_mask_pattern, out_mask_pattern, direction:
            As for `Accuracy`.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.CategoricalAccuracy(in_mask=["label"])])
    ```
    """

    def __init__(self, average=None, labels=None, name="categorical_accuracy", **kwargs):
        super().__init__(average=average, name=name, **kwargs)
        self.labels = list(labels) if labels is not None else None

    def sample_score(self, y_true, y_pred):
        actual, predicted = label_set(self._fields(y_true)), label_set(self._fields(y_pred))
        if self.labels is not None:
            actual, predicted = actual & set(self.labels), predicted & set(self.labels)
        return 1.0 if actual == predicted else 0.0

    def get_config(self):
        config = super().get_config()
        del config["threshold"]
        return {**config, "labels": self.labels}
