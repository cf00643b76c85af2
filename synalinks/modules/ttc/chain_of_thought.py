"""`ChainOfThought`: a Generator that thinks before it answers."""

from synalinks.data_models.concatenation import concatenate_schemas
from synalinks.modules.core.generator import Generator
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.checks import schema_of

THINKING_SCHEMA = {
    "title": "Thinking",
    "type": "object",
    "properties": {"thinking": {"type": "string", "description": "Your step by step thinking"}},
    "required": ["thinking"],
}


@register_synalinks_serializable(package="synalinks")
class ChainOfThought(Generator):
    """A `Generator` whose output gains a `thinking` field before the answer fields.

    The language model writes its reasoning first, then the answer, which
    often improves answers. Mask the thinking out of rewards with
    `ExactMatch(out_mask=["thinking"])` (or `in_mask=[...]`).

    Arguments: same as `Generator`.

    Example:

    ```python
    outputs = await synalinks.ChainOfThought(data_model=Answer, language_model=lm)(inputs)
    # outputs.get_json() -> {"thinking": "...", "answer": "..."}
    ```
    """

    chat_allowed = False

    def __init__(self, data_model=None, schema=None, **kwargs):
        schema = schema_of(data_model, schema, who="ChainOfThought", required=False)
        self.answer_schema = schema
        if isinstance(schema, dict):
            schema = concatenate_schemas(THINKING_SCHEMA, schema, title=schema.get("title"))
        super().__init__(schema=schema, **kwargs)

    def get_config(self):
        return {**super().get_config(), "schema": self.answer_schema}
