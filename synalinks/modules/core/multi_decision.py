"""`MultiDecision`: the language model picks any number of labels."""

from synalinks.modules.core.decision import Decision
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class MultiDecision(Decision):
    """Answers `question` about its input with every label that applies.

    The output is `{"thinking": ..., "choices": [...]}`; the choices can only
    be labels (an `enum` in the schema).

    Args:
        question: The question to answer.
        labels: The labels to choose among.
        language_model: The `LanguageModel` to ask.
        inline: Put the labels' enum in the array items (default True); with
            False it is a `$defs` entry the items `$ref`.
        **kwargs: Other `Decision` / `Generator` arguments.

    Example:

    ```python
    tags = await synalinks.MultiDecision(
        question="Which topics does the text cover?",
        labels=["sports", "politics", "science"],
        language_model=lm,
    )(inputs)
    # tags.get("choices") -> ["sports", "science"]
    ```
    """

    def __init__(self, question=None, labels=None, language_model=None, inline=True, **kwargs):
        self.inline = bool(inline)
        super().__init__(question=question, labels=labels, language_model=language_model, **kwargs)

    def _schema_for(self, labels):
        label_schema = {"type": "string", "enum": list(labels)}
        schema = {
            "title": "MultiDecision",
            "type": "object",
            "properties": {
                "thinking": {"type": "string", "description": "Your step by step thinking"},
                "choices": {
                    "type": "array",
                    "items": label_schema if self.inline else {"$ref": "#/$defs/Label"},
                    "uniqueItems": True,
                    "description": "The labels that apply",
                },
            },
            "required": ["thinking", "choices"],
        }
        if not self.inline:
            schema["$defs"] = {"Label": {"title": "Label", **label_schema}}
        return schema

    def _default_instructions(self):
        return f"{self.question}\nAnswer with every label that applies among: {', '.join(self.labels)}."

    def get_config(self):
        return {**super().get_config(), "inline": self.inline}
