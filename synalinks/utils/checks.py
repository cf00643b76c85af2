"""Argument checks shared across the package, worded the same everywhere."""


def check_positive_int(value, name, allow_none=False, also=None):
    """Returns `value` if it is a positive integer (`bool` is not), or raises ValueError naming `name`.

    Args:
        value: The argument's value.
        name: The argument's name, for the message.
        allow_none: None is accepted too (and returned).
        also: Words for another accepted value, checked by the caller (e.g. "-1").

    Example:

    ```python
    batch_size = check_positive_int(batch_size, "batch_size")
    ```
    """
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        alternatives = "".join(f" or {word}" for word in (also, "None" if allow_none else None) if word)
        raise ValueError(f"`{name}` must be a positive integer{alternatives}, got {value!r}.")
    return value


def check_non_negative_int(value, name):
    """Returns `value` if it is an integer, 0 or more (`bool` is not), or raises ValueError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"`{name}` must be an integer, 0 or more, got {value!r}.")
    return value
