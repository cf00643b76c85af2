"""`InMask`: keeps only the given fields."""

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.json_operations import apply, check_mask
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class InMask(Module):
    """Keeps only the fields named in `mask` or whose name matches `pattern`.

    A field renamed by concatenation counts as its base name (`answer_1` is
    an `answer`).

    Args:
        mask: The field names to keep.
        pattern: A regular expression; the fields it matches (`re.search`) are kept too.

    Example:

    ```python
    class Draft(synalinks.DataModel):
        answer: str
        thinking: str
        answer_score: float

    outputs = Draft(answer="4", thinking="2 + 2", answer_score=0.9)
    answer_only = await synalinks.InMask(mask=["answer"])(outputs)
    scores = await synalinks.InMask(pattern=r"_score$")(outputs)
    ```
    """

    def __init__(self, mask=None, pattern=None, name=None, description=None, trainable=True):
        super().__init__(name=name, description=description, trainable=trainable)
        self.mask = check_mask(mask, pattern, who=type(self).__name__)
        self.pattern = pattern

    operation = "in_mask"  # the field operation of data_models/json_operations.py this module applies

    async def call(self, inputs, training=False):
        if inputs is None:
            return None
        schema, value = apply(self.operation, self.mask, inputs.get_schema(), inputs.get_json(), self.pattern)
        return JsonDataModel(schema=schema, json=value)

    def compute_output_spec(self, inputs):
        return SymbolicDataModel(schema=apply(self.operation, self.mask, inputs.get_schema(), pattern=self.pattern)[0])

    def get_config(self):
        return {**super().get_config(), "mask": self.mask, "pattern": self.pattern}
