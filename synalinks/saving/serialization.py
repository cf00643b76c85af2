"""`serialize` / `deserialize`: registered objects to and from plain JSON configs."""

import contextlib
import contextvars
import inspect

from synalinks.saving.object_registry import custom_object_scope, get_registered_name, get_registered_object
from synalinks.saving.safe_mode import in_safe_mode


class DeserializationError(ValueError):
    """A config names something that is not registered, or is malformed."""


def serialize(obj):
    """Returns a JSON-compatible config that `deserialize` turns back into `obj`.

    Objects must be registered (see `register_synalinks_serializable`); classes
    provide `get_config()`. Functions are stored by registered name only.
    Objects inside a config (a language model, tools, branches, a reward's
    program) are serialized too, so `get_config()` may return them as they are.

    Example:

    ```python
    config = serialize(synalinks.rewards.ExactMatch())
    reward = deserialize(config)
    ```
    """
    if obj is None:
        return None
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        name = get_registered_name(obj)
        return {"class_name": "function", "registered_name": name or f"Custom>{obj.__name__}"}
    cls = type(obj)
    name = get_registered_name(cls) or f"Custom>{cls.__name__}"
    return {"class_name": cls.__name__, "registered_name": name, "config": _serialize_nested(obj.get_config())}


def _serialize_nested(value):
    if isinstance(value, dict):
        return {key: _serialize_nested(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_serialize_nested(item) for item in value]
    if inspect.isfunction(value) or inspect.isbuiltin(value):
        return serialize(value)
    if hasattr(value, "get_config") and not inspect.isclass(value):
        return serialize(value)
    return value


def is_serialized_object(value):
    """True for a dict that `serialize` made: `class_name`, `registered_name` (texts) and maybe `config`."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("registered_name"), str)
        and isinstance(value.get("class_name"), str)
        and set(value) <= {"class_name", "registered_name", "config"}
    )


def deserialize_nested(value):
    """`value` with every serialized object inside it (dicts and lists walked) built; the rest unchanged.

    `from_config` methods use it so that a config with nested serialized
    objects works when passed to them directly, not only through `deserialize`.
    """
    if is_serialized_object(value):
        return deserialize(value)
    if isinstance(value, dict):
        return {key: deserialize_nested(item) for key, item in value.items()}
    if isinstance(value, list):
        return [deserialize_nested(item) for item in value]
    return value


def deserialize(config, custom_objects=None, path=None):
    """Builds the object described by `config` (from `serialize`).

    Only registered classes (or those in `custom_objects` or a
    `custom_object_scope`) are built; objects nested in the config are built
    first, so `from_config` receives them ready. Inside a
    `SafeModeScope(safe_mode=True)` (what `load_program` uses by default) a
    config may name a registered function but never make loading call it.

    Args:
        config: The config, from `serialize`.
        custom_objects: `{name: class_or_function}` for unregistered objects.
        path: Where `config` sits in its file, for error messages (e.g.
            `$.program`); nested calls work it out themselves.

    Raises:
        DeserializationError: when the config is malformed, names an object
            that is neither registered nor in `custom_objects`, or asks for
            something safe mode refuses. The message names the JSON path.
    """
    if config is None:
        return None
    if not isinstance(config, dict) and (hasattr(config, "get_config") or inspect.isfunction(config)):
        return config  # already built (a from_config that deserializes what deserialize built for it)
    path = _JsonPath(config, explicit=path, parent=(_stack.get() or (None,))[-1])
    if not isinstance(config, dict) or "registered_name" not in config:
        raise DeserializationError(
            f"{path}: expected a serialized object with a 'registered_name', got {quote(config)}"
        )
    name = config["registered_name"]
    if not isinstance(name, str):
        raise DeserializationError(f"{path}.registered_name: expected a string, got {quote(name)}")
    with custom_object_scope(custom_objects):
        return _build(config, name, path)


def _build(config, name, path):
    obj = get_registered_object(name)
    if obj is None:
        raise DeserializationError(
            f"{path}: Unknown object {quote(name)}. Decorate it with "
            "@synalinks.saving.register_synalinks_serializable() in code imported before loading, "
            f"or pass custom_objects={{{quote(name.split('>')[-1])}: ...}}."
        )
    if config.get("class_name") == "function":
        return obj
    inner = config.get("config", {})
    if not isinstance(inner, dict):
        raise DeserializationError(
            f"{path}.config: expected an object (the config of {quote(name)}), got {quote(inner)}"
        )
    if not inspect.isclass(obj) and in_safe_mode():
        raise DeserializationError(
            f"{path}: the file asks to call the function {quote(name)} with arguments {quote(inner)}; "
            "safe mode refuses it. If you trust the file, load it with safe_mode=False."
        )
    token = _stack.set((*_stack.get(), (config, path)))
    try:
        inner = deserialize_nested(inner)
        if hasattr(obj, "from_config"):
            return obj.from_config(inner)
        return obj(**inner)
    except DeserializationError:
        raise
    except Exception as error:
        raise DeserializationError(
            f"{path}.config: cannot build {quote(name)} from it: {type(error).__name__}: {cut(str(error), 300)}"
        ) from error
    finally:
        _stack.reset(token)


def quote(value, limit=200):
    """`repr(value)`, cut to `limit` characters: file content quoted in errors stays short."""
    try:
        text = repr(value)
    except Exception:  # a repr that fails (or recurses too deep) still gives a message
        text = f"<{type(value).__name__}>"
    return cut(text, limit)


def cut(text, limit=200):
    """`text` cut to `limit` characters, saying how long it was."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


# The configs being built, innermost last, with their JSON paths: a nested
# deserialize call finds its own path by locating its config inside its parent's.
_stack = contextvars.ContextVar("synalinks_deserialization_stack", default=())


@contextlib.contextmanager
def located_at(container, path):
    """Objects deserialized from inside `container` get JSON paths under `path` in their errors.

    Example:

    ```python
    document = {"compile_config": program.get_compile_config()}
    with located_at(document["compile_config"], "$.compile_config"):
        program.compile_from_config(document["compile_config"])
    ```
    """
    token = _stack.set((*_stack.get(), (container, path)))
    try:
        yield
    finally:
        _stack.reset(token)


class _JsonPath:
    """Where a config sits in its file, worked out only when an error message needs it.

    A nested config's path is found by locating it inside its parent's
    config, which costs a search: loading a file that has no error pays nothing.
    """

    def __init__(self, config, explicit=None, parent=None):
        self.config = config
        self.explicit = explicit
        self.parent = parent  # (container, its _JsonPath or str), or None at the top

    def __str__(self):
        if self.explicit:
            return self.explicit
        if self.parent is None:
            return "$"
        container, container_path = self.parent
        container_path = str(container_path)
        return _locate(container, self.config, container_path, depth=0) or f"{container_path}..."

    def __format__(self, spec):
        return format(str(self), spec)


def _locate(container, target, path, depth):
    if depth > 12:
        return None
    if isinstance(container, dict):
        items = ((f"{path}.{key}", value) for key, value in container.items())
    elif isinstance(container, list):
        items = ((f"{path}[{index}]", value) for index, value in enumerate(container))
    else:
        return None
    for item_path, value in items:
        if value is target:
            return item_path
        found = _locate(value, target, item_path, depth + 1) if isinstance(value, (dict, list)) else None
        if found:
            return found
    return None


# Synalinks' (and Keras') names for the same functions.
serialize_synalinks_object = serialize
deserialize_synalinks_object = deserialize
