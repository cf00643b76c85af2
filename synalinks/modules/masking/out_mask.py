"""`OutMask`: drops the given fields."""

from synalinks.modules.masking.in_mask import InMask
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class OutMask(InMask):
    """Drops the fields named in `mask` or whose name matches `pattern`, and keeps the others.

    Args:
        mask: The field names to drop.
        pattern: A regular expression; the fields it matches (`re.search`) are dropped too.

    Example:

    ```python
    class Draft(synalinks.DataModel):
        answer: str
        thinking: str

    outputs = Draft(answer="4", thinking="2 + 2")
    without_thinking = await synalinks.OutMask(mask=["thinking"])(outputs)  # {"answer": "4"}
    ```
    """

    operation = "out_mask"
