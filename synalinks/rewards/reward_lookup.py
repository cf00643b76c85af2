"""`get`, `serialize`, `deserialize`: rewards by name, by config, or as they are (Keras' `losses.get`)."""

from synalinks.rewards.reward import Reward
from synalinks.rewards.reward_function_wrapper import RewardFunctionWrapper
from synalinks.saving import serialization
from synalinks.saving.named_objects import object_by_name


def serialize(reward):
    """The reward's config (`deserialize` builds it back).

    Example:

    ```python
    config = synalinks.rewards.serialize(synalinks.rewards.ExactMatch())
    ```
    """
    return serialization.serialize(reward)


def deserialize(config, custom_objects=None):
    """Builds a reward from `serialize`'s output."""
    return serialization.deserialize(config, custom_objects=custom_objects)


def get(identifier):
    """A reward from a name (`"exact_match"` or `"ExactMatch"`), a config, a function or a reward.

    Raises:
        ValueError: for a name no reward has, listing the names.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.get("exact_match"))
    ```
    """
    from synalinks import rewards

    if identifier is None or isinstance(identifier, Reward):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        excluded = (Reward, RewardFunctionWrapper, rewards.BatchReward, rewards.BatchRewardFunctionWrapper)
        return object_by_name(identifier, rewards, Reward, "reward", excluded)
    if callable(identifier):
        return RewardFunctionWrapper(identifier)
    raise ValueError(f"Cannot make a reward from {identifier!r}: give a name, a config, a function or a Reward.")
