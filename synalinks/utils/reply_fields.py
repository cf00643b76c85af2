"""`field_of`: a field of a provider reply, which litellm gives as a dict or as an object."""


def field_of(value, name):
    """`value[name]` of a dict, or its attribute `name`; None when absent (or when `value` is None).

    Example:

    ```python
    field_of({"usage": {"prompt_tokens": 3}}, "usage")  # {"prompt_tokens": 3}
    import types

    field_of(types.SimpleNamespace(usage=3), "usage")  # an object (litellm's ModelResponse): its attribute, 3
    ```
    """
    if value is None:
        return None
    return value.get(name) if isinstance(value, dict) else getattr(value, name, None)
