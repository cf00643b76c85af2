"""`with_argument_hints`: a misspelt keyword argument gets a "Did you mean ...?" note on Python's
TypeError, naming the closest argument the constructor takes."""

import difflib
import functools
import inspect
import re

_UNEXPECTED = re.compile(r"got an unexpected keyword argument '(\w+)'")


def accepted_arguments(function):
    """The names of the arguments `function` takes by name (not `self`, `*args` or `**kwargs`)."""
    return [
        name
        for name, parameter in inspect.signature(function).parameters.items()
        if name != "self" and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
    ]


def with_argument_hints(init):
    """`init`, whose TypeError for an unknown keyword argument carries a note naming the closest accepted
    argument (`instuctions=` -> "Did you mean `instructions`?"). The error is Python's own, unchanged
    otherwise; other errors pass through untouched.

    Example:

    ```python
    class MyModule(synalinks.Module):  # Module subclasses get it on their __init__
        def __init__(self, instructions=None, **kwargs): ...
    ```
    """

    @functools.wraps(init)
    def checked(self, *args, **kwargs):
        try:
            return init(self, *args, **kwargs)
        except TypeError as error:
            match = _UNEXPECTED.search(str(error))
            given = match.group(1) if match else None
            if given not in kwargs or getattr(error, "__notes__", None):
                raise
            accepted = accepted_arguments(init)  # only on this error: nothing at import or construction
            if given not in accepted:
                close = difflib.get_close_matches(given, accepted, n=1)
                if close:
                    error.add_note(f"Did you mean `{close[0]}`? {type(self).__name__} takes {accepted}.")
            raise

    return checked
