"""`ExactMatch`: 1.0 when the prediction's fields equal the target's, else 0.0."""

from synalinks.data_models.json_operations import mask_json, masks_keep
from synalinks.rewards.reward import Reward
from synalinks.saving.object_registry import register_synalinks_serializable


def masked_json(value, in_mask=None, out_mask=None, in_mask_pattern=None, out_mask_pattern=None):
    """Returns the fields of `value` (a dict) kept by the masks (see `Reward`)."""
    keep = masks_keep(in_mask, out_mask, in_mask_pattern, out_mask_pattern)
    return value if keep is None else mask_json(value, keep)


@register_synalinks_serializable(package="synalinks")
def exact_match(y_true, y_pred, in_mask=None, out_mask=None, in_mask_pattern=None, out_mask_pattern=None):
    """Returns 1.0 if the masked JSON of `y_true` and `y_pred` are equal, else 0.0."""
    if y_pred is None:
        return 0.0
    masks = (in_mask, out_mask, in_mask_pattern, out_mask_pattern)
    expected = masked_json(y_true.get_json(), *masks)
    found = masked_json(y_pred.get_json(), *masks)
    return 1.0 if expected == found else 0.0


@register_synalinks_serializable(package="synalinks")
class ExactMatch(Reward):
    """Rewards 1.0 for a prediction equal to the target, 0.0 otherwise.

    Args:
        name: The reward's name.
        in_mask: Only compare these fields (e.g. `["answer"]`).
        out_mask: Ignore these fields (e.g. `["thinking"]`).
        in_mask_pattern: Also compare the fields matching this regex.
        out_mask_pattern: Also ignore the fields matching this regex.
        reduction: How a batch's rewards are reduced for the logs (see `Reward`).

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(in_mask=["answer"]))
    ```
    """

    def __init__(
        self,
        name="exact_match",
        in_mask=None,
        out_mask=None,
        in_mask_pattern=None,
        out_mask_pattern=None,
        reduction="mean",
    ):
        super().__init__(
            name=name,
            reduction=reduction,
            in_mask=in_mask,
            out_mask=out_mask,
            in_mask_pattern=in_mask_pattern,
            out_mask_pattern=out_mask_pattern,
        )

    def call(self, y_true, y_pred):
        return 1.0 if y_true.get_json() == y_pred.get_json() else 0.0
