"""`RewardFunctionWrapper`: turns a plain function into a `Reward`."""

from synalinks.rewards.reward import Reward
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class RewardFunctionWrapper(Reward):
    """A reward computed by `fn(y_true, y_pred, **kwargs)`, plain or `async`.

    To save and load a program compiled with it, register the function with
    `@synalinks.saving.register_synalinks_serializable()`.

    Args:
        fn: The function; it gets `JsonDataModel`s and returns a number.
        in_mask, out_mask, in_mask_pattern, out_mask_pattern: The fields
            compared (see `Reward`).
        reduction: How a batch's rewards are reduced for the logs (see `Reward`).
        name: The reward's name; defaults to "reward".
        **kwargs: Passed to `fn` on every call.

    Example:

    ```python
    @synalinks.saving.register_synalinks_serializable()
    def starts_right(y_true, y_pred):
        return float(y_pred.get("answer", "")[:1] == y_true.get("answer", "")[:1])

    program.compile(reward=synalinks.rewards.RewardFunctionWrapper(starts_right))
    ```
    """

    def __init__(
        self,
        fn,
        reduction="mean",
        in_mask=None,
        out_mask=None,
        in_mask_pattern=None,
        out_mask_pattern=None,
        name=None,
        **kwargs,
    ):
        if not callable(fn):
            raise TypeError(f"{type(self).__name__} needs a function, got {fn!r}.")
        super().__init__(
            name=name,
            reduction=reduction,
            in_mask=in_mask,
            out_mask=out_mask,
            in_mask_pattern=in_mask_pattern,
            out_mask_pattern=out_mask_pattern,
        )
        self.fn = fn
        self.fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self.fn_kwargs)

    def get_config(self):
        return {**super().get_config(), "fn": self.fn, **self.fn_kwargs}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
