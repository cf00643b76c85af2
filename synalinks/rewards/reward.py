"""`Reward`: scores one prediction against its target."""

import inspect

from synalinks.data_models.json_data_model import to_json_data_model
from synalinks.saving.serialization import deserialize_nested


class Reward:
    """The base class of rewards: `await reward(y_true, y_pred)` returns a float.

    Subclasses implement `call(y_true, y_pred)` (plain or `async`) on
    `JsonDataModel` values. A missing prediction (`None`, when the program
    failed for that sample) scores 0.

    Args:
        name: The reward's name.

    Example:

    ```python
    class LongAnswer(synalinks.rewards.Reward):
        def call(self, y_true, y_pred):
            return min(1.0, len(y_pred.get("answer", "")) / 100)
    ```
    """

    def __init__(self, name=None):
        self.name = name or "reward"

    async def __call__(self, y_true, y_pred):
        if y_pred is None:
            return 0.0
        value = self.call(to_json_data_model(y_true), to_json_data_model(y_pred))
        if inspect.isawaitable(value):
            value = await value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"Reward '{self.name}' must return a number, got {value!r}.")
        return float(value)

    async def batch(self, y_true, y_pred):
        """The rewards of a batch, one per sample (by default, each sample concurrently)."""
        import asyncio

        return list(await asyncio.gather(*(self(true, pred) for true, pred in zip(y_true, y_pred))))

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"{type(self).__name__} must implement `call(self, y_true, y_pred)`.")

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_nested(config))
