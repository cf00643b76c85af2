"""`LMAsJudge`: a language model scores the prediction against the target."""

import json

from synalinks.language_models.defaults import get_default_language_model
from synalinks.rewards.reward import Reward
from synalinks.saving.object_registry import register_synalinks_serializable

JUDGEMENT_SCHEMA = {
    "title": "Judgement",
    "type": "object",
    "properties": {
        "critique": {"type": "string", "description": "How the prediction compares with the ground truth"},
        "reward": {"type": "number", "minimum": 0.0, "maximum": 1.0, "description": "The score, from 0 to 1"},
    },
    "required": ["critique", "reward"],
}


@register_synalinks_serializable(package="synalinks")
class LMAsJudge(Reward):
    """Asks a language model to score the prediction against the ground truth, from 0 to 1.

    If the judge fails (after its retries), the sample scores 0.

    Args:
        language_model: The judge; by default the default language model.
        instructions: What a good prediction is, for the judge.
        name: The reward's name.

    Example:

    ```python
    judge = synalinks.LanguageModel(model="openai/gpt-4o")
    program.compile(reward=synalinks.rewards.LMAsJudge(language_model=judge), ...)
    ```
    """

    def __init__(self, language_model=None, instructions=None, name=None):
        super().__init__(name=name)
        self.language_model = language_model
        self.instructions = instructions or "Score how well the prediction matches the ground truth."

    async def call(self, y_true, y_pred):
        from synalinks.language_models.language_model import LanguageModelAccessError, LanguageModelError

        model = self.language_model or get_default_language_model()
        messages = [
            {
                "role": "system",
                "content": f"{self.instructions}\nReply with a JSON object that follows this JSON schema:\n{json.dumps(JUDGEMENT_SCHEMA)}",
            },
            {
                "role": "user",
                "content": json.dumps(
                    {"ground_truth": y_true.get_json(), "prediction": y_pred.get_json()}, ensure_ascii=False
                ),
            },
        ]
        try:
            judgement = await model(messages, schema=JUDGEMENT_SCHEMA)
        except LanguageModelAccessError:  # a refused key stops the run
            raise
        except LanguageModelError:
            return 0.0
        return min(1.0, max(0.0, float(judgement["reward"])))

    def get_config(self):
        return {"language_model": self.language_model, "instructions": self.instructions, "name": self.name}
