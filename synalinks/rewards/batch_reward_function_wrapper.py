"""`BatchRewardFunctionWrapper`: a function that scores a whole batch at once."""

import inspect

from synalinks.data_models.json_data_model import to_json_data_model
from synalinks.rewards.reward_function_wrapper import RewardFunctionWrapper
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class BatchRewardFunctionWrapper(RewardFunctionWrapper):
    """A reward computed for a whole batch by `fn(y_true_list, y_pred_list, **kwargs)`.

    `fn` (plain or `async`) returns one number per sample, in the same order;
    use it when scoring samples together is cheaper (one judge call for the
    batch) or needs the whole batch (ranking).

    Args:
        fn: The function.
        name: The reward's name.
        **kwargs: Passed to `fn`.

    Example:

    ```python
    @synalinks.saving.register_synalinks_serializable()
    def rank_by_length(y_true, y_pred):
        lengths = [len(p.get("answer", "")) if p else 0 for p in y_pred]
        longest = max(lengths) or 1
        return [length / longest for length in lengths]

    program.compile(reward=synalinks.rewards.BatchRewardFunctionWrapper(rank_by_length), ...)
    ```
    """

    async def batch(self, y_true, y_pred):
        values = self.fn(
            [to_json_data_model(value) for value in y_true],
            [to_json_data_model(value) for value in y_pred],
            **self.fn_kwargs,
        )
        if inspect.isawaitable(values):
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
        return (await self.batch([y_true], [y_pred]))[0]
