"""`LMAsJudge`: a language model grades the prediction against the target."""

from synalinks.data_models.scores import FineScore, describe_score_type, get_score_type, serialize_score_type
from synalinks.language_models.defaults import get_default_language_model
from synalinks.rewards.program_as_judge import judge_input
from synalinks.rewards.reward import Reward
from synalinks.saving.object_registry import register_synalinks_serializable

DEFAULT_JUDGE_INSTRUCTIONS = "Critique how well the prediction matches the ground truth, then grade it."


@register_synalinks_serializable(package="synalinks")
class LMAsJudge(Reward):
    """Asks a language model to critique the prediction against the ground truth and grade it.

    The judge is a `SelfCritique` on `{"ground_truth": ..., "prediction": ...}`:
    it picks a grade on the `score_type` scale, which becomes a reward from
    0.0 (the lowest level) to 1.0 (the highest). If the judge fails (after its
    retries), the sample scores 0.

    Args:
        language_model: The judge; by default the default language model.
        prompt_template: The judge's prompt template (see `Generator`).
        examples: Few-shot examples of judgements: `(judge input, {"critique":
            ..., "reward": <a level of score_type>})` pairs.
        instructions: What a good prediction is, for the judge; the scale is
            spelled out after them.
        score_type: The grading scale (see `SelfCritique`); `FineScore` by default.
        reduction, in_mask, out_mask, in_mask_pattern, out_mask_pattern: As
            for `Reward`.
        name: The reward's name.

    Example:

    ```python
    judge = synalinks.LanguageModel(model="openai/gpt-4o")
    program.compile(reward=synalinks.rewards.LMAsJudge(language_model=judge, score_type=synalinks.Rating))
    ```
    """

    def __init__(
        self,
        language_model=None,
        prompt_template=None,
        examples=None,
        instructions=None,
        score_type=None,
        reduction="mean",
        name="lm_as_judge",
        in_mask=None,
        out_mask=None,
        in_mask_pattern=None,
        out_mask_pattern=None,
    ):
        super().__init__(
            name=name,
            reduction=reduction,
            in_mask=in_mask,
            out_mask=out_mask,
            in_mask_pattern=in_mask_pattern,
            out_mask_pattern=out_mask_pattern,
        )
        self.language_model = language_model
        self.prompt_template = prompt_template
        self.examples = examples
        self.instructions = instructions
        self.score_type = get_score_type(score_type or FineScore)
        self._critique = None

    @property
    def critique(self):
        """The `SelfCritique` module that judges (built at first use, with the default model then)."""
        if self._critique is None:
            from synalinks.modules.ttc.self_critique import SelfCritique

            instructions = self.instructions or DEFAULT_JUDGE_INSTRUCTIONS
            self._critique = SelfCritique(
                language_model=self.language_model or get_default_language_model(),
                score_type=self.score_type,
                instructions=f"{instructions}\nThe reward is {describe_score_type(self.score_type)}.",
                examples=self.examples,
                prompt_template=self.prompt_template,
                return_inputs=False,
                name=f"{self.name}_critique",
            )
        return self._critique

    async def call(self, y_true, y_pred):
        judgement = await self.critique(judge_input(y_true, y_pred))
        if judgement is None:
            return 0.0
        return float(judgement.get("reward"))

    def get_config(self):
        return {
            **super().get_config(),
            "language_model": self.language_model,
            "prompt_template": self.prompt_template,
            "examples": self.critique.state.get("examples") if self.examples else None,
            "instructions": self.instructions,
            "score_type": serialize_score_type(self.score_type),
        }
