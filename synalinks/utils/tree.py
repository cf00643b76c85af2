"""Nested structures of values: a single item, or (nested) lists and tuples of them."""


def flatten(structure):
    """Returns the leaves of a value that is a single item or a (nested) list/tuple.

    Example:

    ```python
    flatten(["a", ("b", ["c"])])  # ["a", "b", "c"]
    ```
    """
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def map_structure(function, structure):
    """Applies `function` to every leaf, keeping the list/tuple shape.

    Example:

    ```python
    map_structure(str, [1, (2, 3)])  # ["1", ("2", "3")]
    ```
    """
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(function, item) for item in structure)
    return function(structure)
