"""`LambdaCallback`: a callback made of plain functions."""

from synalinks.callbacks.callback import Callback

HOOKS = (
    "on_train_begin",
    "on_train_end",
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_begin",
    "on_test_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_begin",
    "on_predict_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
    "on_train_interrupted",
)


class LambdaCallback(Callback):
    """Calls the functions given for the hooks given, with the hook's arguments.

    Example:

    ```python
    print_epoch = synalinks.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: print(epoch, logs["reward"])
    )
    ```
    """

    def __init__(self, **hooks):
        super().__init__()
        unknown = set(hooks) - set(HOOKS)
        if unknown:
            raise ValueError(f"LambdaCallback got unknown hooks {sorted(unknown)}; known: {list(HOOKS)}.")
        for name, function in hooks.items():
            setattr(self, name, function)
