"""The registry of classes and functions that files may name.

Loading a file only ever builds objects registered here (or passed in
`custom_objects`): a file can name a class, never import or run code.
"""

import contextvars
from typing import Any

_registry: dict[str, Any] = {}
_names: dict[Any, str] = {}
_custom_objects = contextvars.ContextVar("synalinks_custom_objects", default=None)
_global_custom_objects: dict[str, Any] = {}


def get_custom_objects():
    """The process-wide `{name: class_or_function}` that every deserialization knows (a dict to fill).

    Example:

    ```python
    class MyReward(synalinks.rewards.Reward):
        def call(self, y_true, y_pred):
            return 1.0

    synalinks.saving.get_custom_objects()["MyReward"] = MyReward
    ```
    """
    return _global_custom_objects


class CustomObjectScope:
    """Makes `custom_objects` (`{name: class_or_function}`) known to every deserialization inside it.

    Scopes nest: an inner scope adds to the outer one. `deserialize(...,
    custom_objects=...)` and `load_program(..., custom_objects=...)` open one,
    so the `from_config` of nested objects needs no `custom_objects` argument.

    Args:
        custom_objects: `{name: class_or_function}` (several dicts are merged).

    Example:

    ```python
    class MyReward(synalinks.rewards.Reward):
        def call(self, y_true, y_pred):
            return 1.0

    program.compile(reward=MyReward())
    program.save("program.json")
    with synalinks.saving.custom_object_scope({"MyReward": MyReward}):
        program = synalinks.programs.load_program("program.json")
    ```
    """

    def __init__(self, *custom_objects):
        self.custom_objects = {}
        for mapping in custom_objects:
            self.custom_objects.update(mapping or {})
        self._token = None

    def __enter__(self):
        self._token = _custom_objects.set({**(_custom_objects.get() or {}), **self.custom_objects})
        return self

    def __exit__(self, *exc_info):
        _custom_objects.reset(self._token)
        return False


custom_object_scope = CustomObjectScope


def register_synalinks_serializable(package="Custom", name=None):
    """Registers a class or function so that saved programs can name it.

    Use it on your own modules, rewards, metrics and reward functions so that
    `load_program` can rebuild programs that use them.

    Args:
        package: A namespace for the name, to avoid clashes.
        name: The name to register under; defaults to the object's `__name__`.

    Example:

    ```python
    @synalinks.saving.register_synalinks_serializable(package="my_project")
    async def my_reward(y_true, y_pred):
        return 1.0 if y_pred and y_pred.get("answer") else 0.0
    ```
    """
    if "/" in package or ">" in package:
        raise ValueError(f"Invalid package name {package!r}: it may not contain '/' or '>'.")

    def decorator(obj):
        key = f"{package}>{name or obj.__name__}"
        _registry[key] = obj
        _names[obj] = key
        return obj

    return decorator


def get_registered_name(obj):
    """Returns the name `obj` (a class or function) is registered under, or None."""
    try:
        return _names.get(obj)
    except TypeError:  # unhashable
        return None


def get_registered_object(name, custom_objects=None):
    """Returns the object registered under `name`, looking in `custom_objects` (and the
    `custom_object_scope`s around the call) first.

    `custom_objects` maps either registered names or bare `__name__`s to objects.
    Returns None when nothing is found.
    """
    custom_objects = {**_global_custom_objects, **(_custom_objects.get() or {}), **(custom_objects or {})}
    if custom_objects:
        if name in custom_objects:
            return custom_objects[name]
        short = name.split(">")[-1]
        if short in custom_objects:
            return custom_objects[short]
    if name not in _registry:
        # `import synalinks` imports its modules on first use: a class of one not used yet is registered now.
        import synalinks

        synalinks.import_all()
    return _registry.get(name)
