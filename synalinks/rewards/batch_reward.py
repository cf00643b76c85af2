"""`BatchReward`: a reward computed for a whole batch at once."""

from synalinks.data_models.json_data_model import to_json_data_model
from synalinks.rewards.reward import Reward


class BatchReward(Reward):
    """The base class of rewards that need the whole batch (ranking, group-relative scores).

    Subclasses implement `call(y_true, y_pred)` (plain or `async`) on two
    lists of `JsonDataModel`s (masked; a failed prediction is None) and return
    one number per sample, in order. `await reward(y_true, y_pred)` on two
    lists returns the batch's reduced reward (by `reduction`); training uses
    `batch()`, the per-sample list.

    Args:
        name, reduction, in_mask, out_mask, in_mask_pattern, out_mask_pattern: As for `Reward`.

    Example:

    ```python
    class RelativeLength(synalinks.rewards.BatchReward):
        def call(self, y_true, y_pred):
            lengths = [len(p.get("answer", "")) if p else 0 for p in y_pred]
            longest = max(lengths) or 1
            return [length / longest for length in lengths]
    ```
    """

    async def batch(self, y_true, y_pred):
        """The per-sample rewards of the batch."""
        y_true = [self.apply_masks(to_json_data_model(value)) for value in y_true]
        y_pred = [self.apply_masks(to_json_data_model(value)) for value in y_pred]
        values = self.call(y_true, y_pred)
        if hasattr(values, "__await__"):
            values = await values
        values = list(values)
        if len(values) != len(y_pred):
            raise ValueError(
                f"Reward '{self.name}' returned {len(values)} values for a batch of {len(y_pred)} samples."
            )
        if any(isinstance(value, bool) or not isinstance(value, (int, float)) for value in values):
            raise TypeError(f"Reward '{self.name}' must return numbers, got {values!r:.200}.")
        return [float(value) for value in values]

    async def __call__(self, y_true, y_pred):
        return self.reduce(await self.batch(list(y_true), list(y_pred)))
