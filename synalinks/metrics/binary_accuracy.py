"""`BinaryAccuracy`: the share of binary fields predicted right."""

from synalinks.data_models.json_data_model import to_json_data_model
from synalinks.data_models.json_operations import checked_masks, mask_json
from synalinks.metrics.accuracy import check_average
from synalinks.metrics.binary_fbeta_score import is_positive
from synalinks.metrics.mean import Mean
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class BinaryAccuracy(Mean):
    """For each sample, the share of its binary fields (booleans, or numbers cut at `threshold`)
    whose prediction agrees with the target; averaged over the samples.

    Args:
        average: Accepted for Synalinks code (None, "micro", "macro", "weighted").
        threshold: The cut for numeric fields.
        name, in_mask, out_mask, in_mask_pattern, out_mask_pattern, direction:
            As for `Accuracy`.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.BinaryAccuracy(threshold=0.5)])
    ```
    """

    def __init__(
        self,
        average=None,
        threshold=0.5,
        name="binary_accuracy",
        in_mask=None,
        out_mask=None,
        in_mask_pattern=None,
        out_mask_pattern=None,
        direction="up",
    ):
        super().__init__(name=name, direction=direction)
        self.average = check_average(average)
        self.threshold = float(threshold)
        self.in_mask, self.out_mask, self._keep = checked_masks(
            in_mask, out_mask, in_mask_pattern, out_mask_pattern, who=type(self).__name__
        )
        self.in_mask_pattern, self.out_mask_pattern = in_mask_pattern, out_mask_pattern

    def _fields(self, value):
        value = to_json_data_model(value).get_json() if value is not None else {}
        return value if self._keep is None else mask_json(value, self._keep)

    def sample_score(self, y_true, y_pred):
        expected, found = self._fields(y_true), self._fields(y_pred)
        if not expected:
            return 1.0
        right = sum(
            is_positive(value, self.threshold) == is_positive(found.get(field), self.threshold)
            for field, value in expected.items()
        )
        return right / len(expected)

    def update_state(self, y_true, y_pred):
        super().update_state([self.sample_score(true, pred) for true, pred in zip(y_true, y_pred)])

    def get_config(self):
        return {
            "average": self.average,
            "threshold": self.threshold,
            "name": self.name,
            "in_mask": self.in_mask,
            "out_mask": self.out_mask,
            "in_mask_pattern": self.in_mask_pattern,
            "out_mask_pattern": self.out_mask_pattern,
            "direction": self.direction,
        }
