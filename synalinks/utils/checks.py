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
    batch_size = check_positive_int(32, "batch_size")
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


def check_positive_number(value, name):
    """Returns `value` if it is a number above 0 (`bool` is not), or raises ValueError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"`{name}` must be a positive number, got {value!r}.")
    return value


def schema_of(data_model=None, schema=None, who="This module", required=True):
    """The JSON schema an argument pair gives: a `data_model` (a DataModel class) or a `schema` (a dict).

    Args:
        data_model: A DataModel class (or instance); its schema is used when given.
        schema: A JSON schema dict, used when there is no `data_model`.
        who: Who asks, for the message (e.g. "generator: Generator").
        required: Raise when neither is given (else return None).

    Raises:
        ValueError: naming `who` when there is no schema (and one is required).
        TypeError: when `data_model` is not a data model.

    Example:

    ```python
    schema = schema_of(Answer, None, who="my_module: Generator")  # Answer.get_schema()
    ```
    """
    if data_model is not None:
        get_schema = getattr(data_model, "get_schema", None)
        if get_schema is None:
            raise TypeError(f"{who}: `data_model` must be a DataModel class, got {data_model!r:.100}.")
        schema = get_schema()
    if schema is None and not required:
        return None
    if not isinstance(schema, dict):
        raise ValueError(
            f"{who} needs a `data_model` (a DataModel class) or a `schema` (a JSON schema dict), got {schema!r:.100}."
        )
    return schema
