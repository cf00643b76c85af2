"""`BatchRewardFunctionWrapper`: a function that scores a whole batch at once."""

from synalinks.rewards.batch_reward import BatchReward
from synalinks.rewards.reward_function_wrapper import RewardFunctionWrapper
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class BatchRewardFunctionWrapper(BatchReward, RewardFunctionWrapper):
    """A reward computed for a whole batch by `fn(y_true_list, y_pred_list, **kwargs)`.

    `fn` (plain or `async`) returns one number per sample, in the same order;
    use it when scoring samples together is cheaper (one judge call for the
    batch) or needs the whole batch (ranking).

    Args:
        fn: The function.
        reduction, in_mask, out_mask, in_mask_pattern, out_mask_pattern: As
            for `Reward`.
        name: The reward's name.
        **kwargs: Passed to `fn`.

    Example:

    ```python
    @synalinks.saving.register_synalinks_serializable()
    def rank_by_length(y_true, y_pred):
        lengths = [len(p.get("answer", "")) if p else 0 for p in y_pred]
        longest = max(lengths) or 1
        return [length / longest for length in lengths]

    program.compile(reward=synalinks.rewards.BatchRewardFunctionWrapper(rank_by_length))
    ```
    """
