"""`Decision`: the language model picks one label, always a valid one."""

from synalinks.modules.core.generator import Generator
from synalinks.saving.object_registry import register_synalinks_serializable


def decision_schema(labels):
    return {
        "title": "Decision",
        "type": "object",
        "properties": {
            "thinking": {"type": "string", "description": "Your step by step thinking"},
            "choice": {"type": "string", "enum": list(labels), "description": "The chosen label"},
        },
        "required": ["thinking", "choice"],
    }


def check_labels(labels, who):
    labels = list(labels or [])
    if len(labels) < 2 or not all(isinstance(label, str) and label for label in labels):
        raise ValueError(f"{who} needs `labels`: a list of at least two non-empty strings, got {labels!r}.")
    if len(set(labels)) != len(labels):
        raise ValueError(f"{who}: the labels must be distinct, got {labels!r}.")
    return labels


@register_synalinks_serializable(package="synalinks")
class Decision(Generator):
    """Answers `question` about its input by choosing one of `labels`.

    The labels are an `enum` in the output schema, so a reply with any other
    label is invalid: it is retried, and never returned.

    Args:
        question: The question to answer, e.g. "Is this review positive?".
        labels: The possible answers, e.g. `["positive", "negative"]`.
        language_model: The `LanguageModel` to ask.
        instructions: Extra instructions; by default built from the question.
        **kwargs: Other `Generator` arguments (`examples`, `name`, ...).

    Example:

    ```python
    decision = await synalinks.Decision(
        question="Is the query about math or history?",
        labels=["math", "history"],
        language_model=lm,
    )(inputs)
    # decision.get("choice") -> "math"
    ```
    """

    def __init__(self, question=None, labels=None, language_model=None, instructions=None, **kwargs):
        if not isinstance(question, str) or not question:
            raise ValueError(f"{type(self).__name__} needs a `question` (a non-empty string), got {question!r}.")
        self.question = question
        self.labels = check_labels(labels, type(self).__name__)
        kwargs.pop("schema", None)
        super().__init__(
            schema=self._schema_for(self.labels),
            language_model=language_model,
            instructions=instructions or self._default_instructions(),
            **kwargs,
        )

    def _schema_for(self, labels):
        return decision_schema(labels)

    def _default_instructions(self):
        return f"{self.question}\nAnswer with one of these labels: {', '.join(self.labels)}."

    def get_config(self):
        config = super().get_config()
        del config["schema"]
        return {**config, "question": self.question, "labels": self.labels}
