"""`MultiDecision`: the language model picks any number of labels."""

from synalinks.modules.core.decision import Decision
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class MultiDecision(Decision):
    """Answers `question` about its input with every label that applies.

    Args:
        Same as `Decision`.

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

    def _schema_for(self, labels):
        return {
            "title": "MultiDecision",
            "type": "object",
            "properties": {
                "thinking": {"type": "string", "description": "Your step by step thinking"},
                "choices": {
                    "type": "array",
                    "items": {"type": "string", "enum": list(labels)},
                    "uniqueItems": True,
                    "description": "The labels that apply",
                },
            },
            "required": ["thinking", "choices"],
        }

    def _default_instructions(self):
        return f"{self.question}\nAnswer with every label that applies among: {', '.join(self.labels)}."
