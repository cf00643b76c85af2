"""`SelfCritique`: the language model critiques its input, and may score it."""

from synalinks.modules.core.generator import Generator
from synalinks.saving.object_registry import register_synalinks_serializable

CRITIQUE_PROPERTY = {"type": "string", "description": "What is wrong or missing, and how to improve it"}
REWARD_PROPERTY = {"type": "number", "minimum": 0.0, "maximum": 1.0, "description": "How good it is, from 0 to 1"}


@register_synalinks_serializable(package="synalinks")
class SelfCritique(Generator):
    """Critiques its input (typically a previous module's answer).

    Its output is the input's fields followed by `critique` and, with
    `return_reward=True`, a `reward` between 0 and 1.

    Args:
        language_model: The `LanguageModel` to ask.
        return_reward: Also score the input.
        instructions: Extra instructions.
        **kwargs: Other `Generator` arguments.

    Example:

    ```python
    answer = await synalinks.ChainOfThought(data_model=Answer, language_model=lm)(inputs)
    critique = await synalinks.SelfCritique(language_model=lm)(answer)
    # critique.get("critique"), critique.get("reward")
    ```
    """

    def __init__(self, language_model=None, return_reward=True, instructions=None, return_inputs=True, **kwargs):
        self.return_reward = return_reward
        properties = {"critique": CRITIQUE_PROPERTY}
        if return_reward:
            properties["reward"] = REWARD_PROPERTY
        schema = {"title": "Critique", "type": "object", "properties": properties, "required": list(properties)}
        kwargs.pop("schema", None)
        super().__init__(
            schema=schema,
            language_model=language_model,
            instructions=instructions or "Critique the following answer honestly.",
            return_inputs=return_inputs,
            **kwargs,
        )

    def get_config(self):
        config = super().get_config()
        del config["schema"]
        return {**config, "return_reward": self.return_reward}
