"""Names for modules and programs: snake case and per-prefix counters."""

import collections
import re

_name_counts: collections.Counter[str] = collections.Counter()


def snake_case(name):
    """Turns `ChainOfThought` into `chain_of_thought`.

    Example:

    ```python
    assert snake_case("ChainOfThought") == "chain_of_thought"
    ```
    """
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def unique_name(prefix):
    """Returns `prefix` the first time, then `prefix_1`, `prefix_2`, ...

    Example:

    ```python
    unique_name("generator")  # "generator", then "generator_1"
    ```
    """
    count = _name_counts[prefix]
    _name_counts[prefix] += 1
    return prefix if count == 0 else f"{prefix}_{count}"


def clear_session():
    """Starts naming afresh: the next `Generator()` is `generator` again, as in a new process.

    Call it at the top of a script or notebook cell so module names (and
    therefore saved files) are the same on every run.

    Example:

    ```python
    synalinks.clear_session()
    ```
    """
    _name_counts.clear()
