"""`Branch`: a Decision picks a label, and only that label's module runs."""

from synalinks.data_models.concatenation import concatenate_schemas
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.language_models.language_model import language_model_from_config
from synalinks.modules.core.decision import Decision
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Branch(Module):
    """Routes its input to one of `branches`, chosen by a `Decision`.

    It returns one output per branch: the chosen branch's output, and None
    for the others (merge them with `|`). If the decision fails, every output
    is None.

    Args:
        question: The question that picks the branch.
        labels: One label per branch.
        branches: The modules (or programs) to route to, in the order of `labels`.
        language_model: The `LanguageModel` of the decision.
        instructions: Extra instructions for the decision.
        decision_examples: Few-shot examples for the decision.
        inject_decision: Give the branch the decision's fields too.
        name: The module's name.
        description: What the module does.
        trainable: Whether its decision and branches may be trained.

    Example:

    ```python
    easy, hard = await synalinks.Branch(
        question="Is the query easy or hard?",
        labels=["easy", "hard"],
        branches=[
            synalinks.Generator(data_model=Answer, language_model=lm),
            synalinks.ChainOfThought(data_model=Answer, language_model=lm),
        ],
        language_model=lm,
    )(inputs)
    answer = easy | hard
    ```
    """

    def __init__(
        self,
        question=None,
        labels=None,
        branches=None,
        language_model=None,
        instructions=None,
        decision_examples=None,
        inject_decision=False,
        name=None,
        description=None,
        trainable=True,
    ):
        super().__init__(name=name, description=description, trainable=trainable)
        branches = list(branches or [])
        labels = list(labels or [])
        if len(branches) != len(labels):
            raise ValueError(
                f"{self.name}: give one branch per label, got {len(labels)} labels and {len(branches)} branches."
            )
        if not all(isinstance(branch, Module) for branch in branches):
            raise TypeError(f"{self.name}: every branch must be a synalinks Module or Program.")
        self.decision = Decision(
            question=question,
            labels=labels,
            language_model=language_model,
            instructions=instructions,
            examples=decision_examples,
            name=f"{self.name}_decision",
        )
        self.branches = branches
        self.inject_decision = inject_decision

    async def call(self, inputs, training=False):
        outputs = [None] * len(self.branches)
        if inputs is None:
            return outputs
        decision = await self.decision(inputs, training=training)
        if decision is None:
            return outputs
        chosen = self.decision.labels.index(decision.get("choice"))
        branch_inputs = inputs + decision if self.inject_decision else inputs
        outputs[chosen] = await self.branches[chosen](branch_inputs, training=training)
        return outputs

    def compute_output_spec(self, inputs):
        if self.inject_decision:
            decision_schema = self.decision.compute_output_spec(inputs).get_schema()
            inputs = SymbolicDataModel(schema=concatenate_schemas(inputs.get_schema(), decision_schema))
        return [branch.compute_output_spec(inputs) for branch in self.branches]

    def get_config(self):
        return {
            **super().get_config(),
            "question": self.decision.question,
            "labels": self.decision.labels,
            "branches": self.branches,
            "language_model": self.decision.language_model,
            "instructions": self.decision.instructions,
            "inject_decision": self.inject_decision,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**{**config, "language_model": language_model_from_config(config.get("language_model"))})
