"""`ProgramAsJudge`: a synalinks program scores the prediction."""

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.rewards.reward import Reward
from synalinks.saving.object_registry import register_synalinks_serializable


def judge_input(y_true, y_pred):
    """The judge program's input: `{"ground_truth": {...}, "prediction": {...}}`."""
    schema = {
        "title": "JudgeInput",
        "type": "object",
        "properties": {"ground_truth": y_true.get_schema(), "prediction": y_pred.get_schema()},
        "required": ["ground_truth", "prediction"],
    }
    return JsonDataModel(schema=schema, json={"ground_truth": y_true.get_json(), "prediction": y_pred.get_json()})


@register_synalinks_serializable(package="synalinks")
class ProgramAsJudge(Reward):
    """Runs a judge program on `{"ground_truth", "prediction"}` and reads its `reward` field.

    The judge's output must have a numeric `reward` field (clipped to 0..1); a
    missing output scores 0. The judge is not trained with the program.

    Args:
        program: The judge program.
        in_mask, out_mask, in_mask_pattern, out_mask_pattern: The fields
            compared (see `Reward`).
        reduction: How a batch's rewards are reduced for the logs (see `Reward`).
        name: The reward's name.

    Example:

    ```python
    class JudgeInput(synalinks.DataModel):
        ground_truth: Answer
        prediction: Answer

    inputs = synalinks.Input(data_model=JudgeInput)
    score = await synalinks.SelfCritique(language_model=lm, return_inputs=False)(inputs)
    judge = synalinks.Program(inputs=inputs, outputs=score)
    program.compile(reward=synalinks.rewards.ProgramAsJudge(judge))
    ```
    """

    def __init__(
        self,
        program,
        reduction="mean",
        in_mask=None,
        out_mask=None,
        in_mask_pattern=None,
        out_mask_pattern=None,
        name=None,
    ):
        super().__init__(
            name=name,
            reduction=reduction,
            in_mask=in_mask,
            out_mask=out_mask,
            in_mask_pattern=in_mask_pattern,
            out_mask_pattern=out_mask_pattern,
        )
        self.program = program

    async def call(self, y_true, y_pred):
        judgement = await self.program(judge_input(y_true, y_pred))
        if judgement is None or not isinstance(judgement.get("reward"), (int, float)):
            return 0.0
        return min(1.0, max(0.0, float(judgement.get("reward"))))

    def get_config(self):
        return {**super().get_config(), "program": self.program}
