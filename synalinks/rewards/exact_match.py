"""`ExactMatch`: 1.0 when the prediction's fields equal the target's, else 0.0."""

from synalinks.rewards.reward import Reward
from synalinks.saving.object_registry import register_synalinks_serializable


def masked_json(value, in_mask=None, out_mask=None):
    """Returns the fields of `value` (a dict) kept by `in_mask` and not dropped by `out_mask`."""
    if in_mask is not None:
        value = {key: item for key, item in value.items() if key in in_mask}
    if out_mask is not None:
        value = {key: item for key, item in value.items() if key not in out_mask}
    return value


@register_synalinks_serializable(package="synalinks")
def exact_match(y_true, y_pred, in_mask=None, out_mask=None):
    """Returns 1.0 if the masked JSON of `y_true` and `y_pred` are equal, else 0.0."""
    if y_pred is None:
        return 0.0
    expected = masked_json(y_true.get_json(), in_mask, out_mask)
    found = masked_json(y_pred.get_json(), in_mask, out_mask)
    return 1.0 if expected == found else 0.0


@register_synalinks_serializable(package="synalinks")
class ExactMatch(Reward):
    """Rewards 1.0 for a prediction equal to the target, 0.0 otherwise.

    Args:
        in_mask: Only compare these fields (e.g. `["answer"]`).
        out_mask: Ignore these fields (e.g. `["thinking"]`).
        name: The reward's name.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(in_mask=["answer"]), ...)
    ```
    """

    def __init__(self, in_mask=None, out_mask=None, name=None):
        super().__init__(name=name)
        self.in_mask = list(in_mask) if in_mask is not None else None
        self.out_mask = list(out_mask) if out_mask is not None else None

    def call(self, y_true, y_pred):
        return exact_match(y_true, y_pred, self.in_mask, self.out_mask)

    def get_config(self):
        return {"in_mask": self.in_mask, "out_mask": self.out_mask, "name": self.name}
