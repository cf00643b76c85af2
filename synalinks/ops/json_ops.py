"""The JSON operations of `synalinks.ops`, awaitable: on values they compute at once, on symbolic
data models (while tracing a functional program) they add a step to the program."""

from synalinks.data_models.json_data_model import to_json_data_model
from synalinks.modules.core.json_operation import JsonOperation
from synalinks.modules.core.not_module import Not
from synalinks.modules.masking.in_mask import InMask
from synalinks.modules.masking.out_mask import OutMask
from synalinks.modules.merging.and_module import And
from synalinks.modules.merging.concat import Concat
from synalinks.modules.merging.or_module import Or
from synalinks.modules.merging.xor_module import Xor
from synalinks.modules.module import is_symbolic


async def concat(x1, x2, name=None):
    """Both data models' fields side by side (a name taken on the left gets `_1` on the right); None raises.

    Example:

    ```python
    both = await synalinks.ops.concat(Query(query="2 + 2?"), Answer(answer="4"))  # {"query": ..., "answer": ...}
    ```
    """
    if is_symbolic([x1, x2]):
        return await Concat(name=name)([x1, x2])
    if x1 is None or x2 is None:
        raise ValueError("ops.concat got None; use ops.logical_and to get None instead.")
    return to_json_data_model(x1) + x2


concatenate = concat  # Synalinks' other name for it


def convert_to_json_data_model(x):
    """`x` (a `DataModel` instance, a `JsonDataModel` or None) as a `JsonDataModel` (None stays None)."""
    return None if x is None else to_json_data_model(x)


async def logical_and(x1, x2, name=None):
    """`concat`, or None when either side is None (the `&` operator)."""
    if is_symbolic([x1, x2]):
        return await And(name=name)([x1, x2])
    return None if x1 is None or x2 is None else to_json_data_model(x1) + x2


async def logical_or(x1, x2, name=None):
    """Whichever side is there (`concat` when both are), or None (the `|` operator)."""
    if is_symbolic([x1, x2]):
        return await Or(name=name)([x1, x2])
    if x1 is None or x2 is None:
        return to_json_data_model(x2 if x1 is None else x1)
    return to_json_data_model(x1) + x2


async def logical_xor(x1, x2, name=None):
    """The side that is there when exactly one is, else None (the `^` operator)."""
    if is_symbolic([x1, x2]):
        return await Xor(name=name)([x1, x2])
    if (x1 is None) == (x2 is None):
        return None
    return to_json_data_model(x2 if x1 is None else x1)


async def logical_not(x, name=None):
    """None for a data model (the `~` operator)."""
    if is_symbolic(x):
        return await Not(name=name)(x)
    return None


async def in_mask(x, mask=None, pattern=None, name=None):
    """Only the fields named in `mask` or matching the regex `pattern`."""
    if is_symbolic(x):
        return await InMask(mask=mask, pattern=pattern, name=name)(x)
    return None if x is None else to_json_data_model(x).in_mask(mask, pattern=pattern, name=name)


async def out_mask(x, mask=None, pattern=None, name=None):
    """Every field but those named in `mask` or matching the regex `pattern`."""
    if is_symbolic(x):
        return await OutMask(mask=mask, pattern=pattern, name=name)(x)
    return None if x is None else to_json_data_model(x).out_mask(mask, pattern=pattern, name=name)


async def prefix(x, prefix, name=None):
    """Fields renamed `{prefix}_{field}`."""
    return await _renamed(x, "prefix", prefix, name)


async def suffix(x, suffix, name=None):
    """Fields renamed `{field}_{suffix}`."""
    return await _renamed(x, "suffix", suffix, name)


async def factorize(x, name=None):
    """Fields repeated by concatenation (`answer`, `answer_1`, ...) become one list field (`answers`)."""
    return await _renamed(x, "factorize", None, name)


async def _renamed(x, operation, argument, name):
    if is_symbolic(x):
        return await JsonOperation(operation, argument, name=name)(x)
    if x is None:
        return None
    return to_json_data_model(x)._apply(operation, argument, name)
