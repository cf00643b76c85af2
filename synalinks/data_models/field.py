"""`Field`: describes one field of a `DataModel`."""

import pydantic


def Field(default=..., *, description=None, **kwargs):  # noqa: N802 (public API name)
    """Declares a field of a `DataModel`, with a description the LM reads.

    The description goes into the JSON schema, which is sent to the language
    model with every request, so describe what the field should contain.

    Args:
        default: The default value; leave out for a required field.
        description: What the field holds, in words for the language model.
        **kwargs: Any other argument of `pydantic.Field` (`ge`, `max_length`, ...).

    Example:

    ```python
    class Answer(synalinks.DataModel):
        answer: str = synalinks.Field(description="The short answer")
    ```
    """
    return pydantic.Field(default, description=description, **kwargs)
