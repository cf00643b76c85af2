"""`SelfCritique`: the language model critiques its input, and may grade it."""

from synalinks.data_models.scores import (
    FineScore,
    describe_score_type,
    get_score_type,
    normalize_score,
    score_json_type,
    score_values,
    serialize_score_type,
)
from synalinks.modules.core.generator import Generator
from synalinks.saving.object_registry import register_synalinks_serializable

CRITIQUE_PROPERTY = {"type": "string", "description": "What is wrong or missing, and how to improve it"}
REWARD_PROPERTY = {"type": "number", "minimum": 0.0, "maximum": 1.0, "description": "How good it is, from 0 to 1"}


def critique_schema(score_type=None, return_reward=True):
    """The schema the language model answers: a critique and, with `return_reward`, a grade on `score_type`."""
    properties = {"critique": CRITIQUE_PROPERTY}
    if return_reward:
        properties["reward"] = {
            "type": score_json_type(score_type),
            "enum": score_values(score_type),
            "description": f"The grade of the critiqued input: {describe_score_type(score_type)}",
        }
    return {"title": "Critique", "type": "object", "properties": properties, "required": list(properties)}


def default_critique_instructions(score_type=None, return_reward=True):
    """The default instructions: critique the input, and grade it on the scale in words."""
    if not return_reward:
        return "Critique the following input honestly: say what is wrong or missing, and how to improve it."
    return (
        "Critique the following input honestly: say what is wrong or missing, and how to improve it. "
        f"Then grade it with a reward: {describe_score_type(score_type)}."
    )


@register_synalinks_serializable(package="synalinks")
class SelfCritique(Generator):
    """Critiques its input (typically a previous module's answer), and grades it.

    Its output is the input's fields followed by `critique` and, with
    `return_reward=True`, a `reward`. The language model picks the grade on the
    `score_type` scale; the output's `reward` is always a float from 0.0 (the
    lowest level) to 1.0 (the highest).

    Args:
        language_model: The `LanguageModel` to ask.
        return_reward: Also grade the input.
        score_type: The scale of the grade: `synalinks.FineScore` (default,
            0.0 to 1.0 in steps of 0.05), `synalinks.Score` (steps of 0.1),
            `synalinks.Rating` (1 to 5), `Rating10`, `Rating20`, any Enum of
            numbers, or one of their names.
        instructions: Extra instructions; by default they spell out the scale.
        return_inputs: Put the input's fields before the critique (default True).
        **kwargs: Other `Generator` arguments.

    Example:

    ```python
    answer = await synalinks.ChainOfThought(data_model=Answer, language_model=lm, return_inputs=True)(inputs)
    critique = await synalinks.SelfCritique(language_model=lm, score_type=synalinks.Rating)(answer)
    # critique.get("critique"), critique.get("reward") -> 0.75 for a rating of 4
    ```
    """

    def __init__(
        self,
        language_model=None,
        return_reward=True,
        instructions=None,
        return_inputs=True,
        score_type=None,
        **kwargs,
    ):
        self.return_reward = return_reward
        self.score_type = get_score_type(score_type or FineScore)
        self._normalized_schema = None
        kwargs.pop("schema", None)
        super().__init__(
            schema=critique_schema(self.score_type, return_reward),
            language_model=language_model,
            instructions=instructions or default_critique_instructions(self.score_type, return_reward),
            return_inputs=return_inputs,
            **kwargs,
        )

    @property
    def output_schema(self):
        if not self.return_reward:
            return self.schema
        if self._normalized_schema is None:
            self._normalized_schema = {
                **self.schema,
                "properties": {**self.schema["properties"], "reward": REWARD_PROPERTY},
            }
        return self._normalized_schema

    def reply_to_output(self, value):
        if self.return_reward and value.get("reward") is not None:
            return {**value, "reward": normalize_score(value["reward"], self.score_type)}
        return value

    def get_config(self):
        config = super().get_config()
        del config["schema"]
        return {**config, "return_reward": self.return_reward, "score_type": serialize_score_type(self.score_type)}
