"""`CompiledReward`: what `compile(reward=..., reward_weights=..., failure_reward=...)` makes of the
reward, and the checks of the compiled metrics (as Keras' `compile_utils.py` holds `CompileLoss`)."""

import inspect

from synalinks.metrics.max import Max
from synalinks.metrics.mean import Mean
from synalinks.metrics.min import Min
from synalinks.metrics.sum import Sum
from synalinks.rewards.reward import Reward
from synalinks.rewards.reward_function_wrapper import RewardFunctionWrapper

RESERVED_METRIC_NAMES = ("reward", "failures")


def is_failure(prediction):
    """No output at all: None, or None for every output of a multi-output program."""
    if isinstance(prediction, (list, tuple)):
        return all(item is None for item in prediction)
    return prediction is None


def reward_weight_of(reward_weights):
    """The one weight of `compile(reward_weights=...)` (a number, or a list holding one), 1.0 for None."""
    if isinstance(reward_weights, (list, tuple)):
        if len(reward_weights) != 1:
            raise ValueError(f"`reward_weights` holds one weight per reward (one reward here), got {reward_weights!r}.")
        reward_weights = reward_weights[0]
    if reward_weights is None:
        return 1.0
    if isinstance(reward_weights, bool) or not isinstance(reward_weights, (int, float)):
        raise TypeError(f"`reward_weights` must be a number, got {reward_weights!r}.")
    return float(reward_weights)


def check_metrics(metrics):
    """`metrics` as a list, each a synalinks Metric with a name of its own (not `reward` or `failures`)."""
    metrics = list(metrics or [])
    names = list(RESERVED_METRIC_NAMES)
    for metric in metrics:
        if not hasattr(metric, "update_state") or not hasattr(metric, "result"):
            raise TypeError(f"Each metric must be a synalinks Metric, got {metric!r}.")
        if metric.name in names:
            raise ValueError(f"Two metrics are named '{metric.name}'; give them distinct `name`s.")
        names.append(metric.name)
    return metrics


class CompiledReward:
    """The reward of a compiled program: the `Reward` (a function is wrapped in
    `RewardFunctionWrapper`), its weight, the reward of a failed sample, and
    the two trackers every program logs: `reward` (reduced as the reward says,
    `Reward(reduction=...)`) and `failures`.

    Args:
        reward: A `synalinks.rewards.Reward`, a function `(y_true, y_pred) -> float`, or None.
        reward_weights: A number (or a list holding one) the reward is multiplied by.
        failure_reward: The reward of a sample for which the program gave no output.

    Example:

    ```python
    compiled = CompiledReward(synalinks.rewards.ExactMatch(), reward_weights=2.0)
    y_true, y_pred = [Answer(answer="4")], [Answer(answer="4")]
    rewards = await compiled.rewards(y_true, y_pred)  # [2.0]
    compiled.track(rewards, y_pred)
    ```
    """

    def __init__(self, reward=None, reward_weights=None, failure_reward=0.0):
        if reward is not None and not isinstance(reward, Reward):
            if not callable(reward):
                raise TypeError(f"`reward` must be a synalinks Reward or a function, got {reward!r}.")
            reward = RewardFunctionWrapper(reward)
        if isinstance(failure_reward, bool) or not isinstance(failure_reward, (int, float)):
            raise TypeError(f"`failure_reward` must be a number, got {failure_reward!r}.")
        self.reward = reward
        self.weight = reward_weight_of(reward_weights)
        self.failure_reward = float(failure_reward)
        tracker = {"sum": Sum, "min": Min, "max": Max}.get(getattr(reward, "reduction", "mean"), Mean)
        self.tracker = tracker(name="reward", direction="up")
        self.failure_counter = Sum(name="failures", direction="down")

    async def rewards(self, y_true, y_pred):
        """The reward of each prediction (weighted; `failure_reward` for a failed one)."""
        rewards = await self.reward.batch(y_true, y_pred)
        if self.weight != 1.0:
            rewards = [reward * self.weight for reward in rewards]
        return [self.failure_reward if is_failure(p) else reward for reward, p in zip(rewards, y_pred)]

    def track(self, rewards, y_pred):
        """Adds a batch's rewards and failures to the two trackers."""
        self.tracker.update_state(rewards)
        self.failure_counter.update_state([float(is_failure(prediction)) for prediction in y_pred])


async def update_metrics(metrics, y_true, y_pred):
    """Adds a batch to each compiled metric (awaiting those that score with a reward, e.g. `PassAtK`)."""
    for metric in metrics:
        update = metric.update_state(y_true, y_pred)
        if inspect.isawaitable(update):
            await update
