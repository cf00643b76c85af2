"""`Reward`: scores one prediction against its target."""

import asyncio
import inspect

from synalinks.data_models.json_data_model import to_json_data_model
from synalinks.data_models.json_operations import checked_masks, masked_data_model
from synalinks.saving.serialization import deserialize_nested

REDUCTIONS = ("mean", "sum", "min", "max", "none", None)


def check_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"`reduction` must be one of {REDUCTIONS}, got {reduction!r}.")
    return reduction


def reduce_values(values, reduction="mean"):
    """One number from per-sample values: their mean, sum, min or max (`"none"`: the mean too; 0.0 if empty)."""
    values = list(values)
    if not values:
        return 0.0
    if reduction == "sum":
        return float(sum(values))
    if reduction == "min":
        return float(min(values))
    if reduction == "max":
        return float(max(values))
    return float(sum(values) / len(values))


class Reward:
    """The base class of rewards: `await reward(y_true, y_pred)` returns a float.

    Subclasses implement `call(y_true, y_pred)` (plain or `async`) on
    `JsonDataModel` values, after the masks are applied to both. A missing
    prediction (`None`, when the program failed for that sample) scores 0.

    Args:
        name: The reward's name.
        reduction: How a batch's rewards become the one number logged as
            `reward`: `"mean"` (default), `"sum"`, `"min"`, `"max"`, or
            `"none"` / None (the mean). Optimizers race candidates on the mean.
        in_mask: Only compare these fields (a field renamed by concatenation,
            `answer_1`, counts as its base name).
        out_mask: Ignore these fields.
        in_mask_pattern: Also keep the fields whose name matches this regex.
        out_mask_pattern: Also ignore the fields whose name matches this regex.

    Example:

    ```python
    class LongAnswer(synalinks.rewards.Reward):
        def call(self, y_true, y_pred):
            return min(1.0, len(y_pred.get("answer", "")) / 100)

    reward = LongAnswer(out_mask_pattern="^thinking")
    ```
    """

    def __init__(
        self,
        name=None,
        reduction="mean",
        in_mask=None,
        out_mask=None,
        in_mask_pattern=None,
        out_mask_pattern=None,
    ):
        self.name = name or "reward"
        self.reduction = check_reduction(reduction)
        self.in_mask, self.out_mask, self._keep = checked_masks(
            in_mask, out_mask, in_mask_pattern, out_mask_pattern, who=type(self).__name__
        )
        self.in_mask_pattern = in_mask_pattern
        self.out_mask_pattern = out_mask_pattern

    def apply_masks(self, value):
        """`value` (a `JsonDataModel`, or None) with only the fields the masks keep."""
        return masked_data_model(value, self._keep)

    async def __call__(self, y_true, y_pred):
        if y_pred is None:
            return 0.0
        y_true, y_pred = to_json_data_model(y_true), to_json_data_model(y_pred)
        value = self.call(self.apply_masks(y_true), self.apply_masks(y_pred))
        if inspect.isawaitable(value):
            value = await value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"Reward '{self.name}' must return a number, got {value!r}.")
        return float(value)

    async def batch(self, y_true, y_pred):
        """The rewards of a batch, one per sample (by default, each sample concurrently)."""
        return list(await asyncio.gather(*(self(true, pred) for true, pred in zip(y_true, y_pred))))

    def reduce(self, values):
        """The one number a batch's rewards give, by `reduction`."""
        return reduce_values(values, self.reduction)

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"{type(self).__name__} must implement `call(self, y_true, y_pred)`.")

    def get_config(self):
        return {
            "name": self.name,
            "reduction": self.reduction,
            "in_mask": self.in_mask,
            "out_mask": self.out_mask,
            "in_mask_pattern": self.in_mask_pattern,
            "out_mask_pattern": self.out_mask_pattern,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_nested(config))
