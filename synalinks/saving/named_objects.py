"""`object_by_name`: the class a package exports under a name, as Keras' `get` functions find them."""

from synalinks.utils.naming import snake_case


def object_by_name(identifier, package, base, what, excluded=()):
    """An instance of the class `package` exports whose name is `identifier` (snake or camel case).

    Args:
        identifier: A name such as `"exact_match"` or `"ExactMatch"`.
        package: The module whose `__all__` lists the classes.
        base: The base class the classes derive from.
        what: What they are, for the error ("reward", "metric").
        excluded: Classes that cannot be built by name (bases, wrappers).

    Raises:
        ValueError: for a name no class has, listing the names.
    """
    classes = {
        snake_case(name): getattr(package, name)
        for name in package.__all__
        if isinstance(getattr(package, name), type) and issubclass(getattr(package, name), base)
    }
    cls = classes.get(snake_case(identifier))
    if cls is None or cls in excluded:
        names = sorted(name for name, found in classes.items() if found not in excluded)
        raise ValueError(f"No {what} is named {identifier!r}; the {what}s are {names}.")
    return cls()
