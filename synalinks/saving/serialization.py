"""`serialize` / `deserialize`: registered objects to and from plain JSON configs."""

import inspect

from synalinks.saving.object_registry import get_registered_name, get_registered_object


class DeserializationError(ValueError):
    """A config names something that is not registered, or is malformed."""


def serialize(obj):
    """Returns a JSON-compatible config that `deserialize` turns back into `obj`.

    Objects must be registered (see `register_synalinks_serializable`); classes
    provide `get_config()`. Functions are stored by registered name only.

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
    return {"class_name": cls.__name__, "registered_name": name, "config": obj.get_config()}


def deserialize(config, custom_objects=None):
    """Builds the object described by `config` (from `serialize`).

    Raises:
        DeserializationError: when the config is malformed or names an
            object that is neither registered nor in `custom_objects`.
    """
    if config is None:
        return None
    if not isinstance(config, dict) or "registered_name" not in config:
        raise DeserializationError(f"Expected a serialized object with a 'registered_name', got: {config!r:.200}")
    name = config["registered_name"]
    obj = get_registered_object(name, custom_objects)
    if obj is None:
        raise DeserializationError(
            f"Unknown object '{name}'. Decorate it with "
            "@synalinks.saving.register_synalinks_serializable() in code imported before loading, "
            f"or pass custom_objects={{'{name.split('>')[-1]}': ...}}."
        )
    if config.get("class_name") == "function":
        return obj
    inner = config.get("config", {})
    if not isinstance(inner, dict):
        raise DeserializationError(f"The config of '{name}' must be an object, got: {inner!r:.200}")
    if hasattr(obj, "from_config"):
        return (
            obj.from_config(inner, custom_objects=custom_objects)
            if _takes_custom_objects(obj)
            else obj.from_config(inner)
        )
    return obj(**inner)


def _takes_custom_objects(cls):
    try:
        return "custom_objects" in inspect.signature(cls.from_config).parameters
    except (TypeError, ValueError):
        return False
