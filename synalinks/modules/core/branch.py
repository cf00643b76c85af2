"""`Branch`: a decision picks the label(s), and only those labels' modules run."""

import asyncio

from synalinks.data_models.concatenation import concatenate_schemas
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.core.decision import Decision
from synalinks.modules.core.inner_generator import inner_generator_arguments, inner_generator_config
from synalinks.modules.module import Module
from synalinks.saving.module_config import module_from_config
from synalinks.saving.object_registry import get_registered_name, get_registered_object, register_synalinks_serializable


def _decision_type_from_name(name):
    decision_type = get_registered_object(name) or get_registered_object(f"synalinks>{name}")
    if decision_type is None:
        raise ValueError(f"Unknown Branch decision_type {name!r}: register it with register_synalinks_serializable.")
    return decision_type


def _chosen_labels(decision):
    choice = decision.get("choice", decision.get("choices"))
    if isinstance(choice, str):
        return {choice}
    return set(choice or [])


@register_synalinks_serializable(package="synalinks")
class Branch(Module):
    """Routes its input to the branch(es) whose label a decision chooses.

    It returns a tuple with one slot per label: the chosen branch's output,
    and None for the others (merge them with `|`). With
    `decision_type=synalinks.MultiDecision`, several branches may run at once.
    If the decision fails, every slot is None.

    Args:
        question: The question that picks the branch.
        labels: One label per branch.
        branches: The modules (or programs) to route to, in the order of `labels`.
        inject_decision: Give the branches the decision's fields too (default True).
        return_decision: Put the decision's fields before each branch output
            (default True).
        language_model: The `LanguageModel` of the decision.
        prompt_template, examples, instructions, seed_instructions, temperature, max_tokens, top_p, top_k, reasoning_effort, use_inputs_schema, use_outputs_schema: The decision's `Generator`
            arguments (see `Decision`).
        decision_type: `synalinks.Decision` (one branch, the default) or
            `synalinks.MultiDecision` (any number of branches).
        name: The module's name.
        description: What the module does.
        trainable: Whether its decision and branches may be trained.
        decision_examples: Another name for `examples` (older synalinks code).

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
        return_decision=False,
    )(inputs)
    answer = easy | hard
    ```
    """

    def __init__(
        self,
        question=None,
        labels=None,
        branches=None,
        inject_decision=True,
        return_decision=True,
        language_model=None,
        prompt_template=None,
        examples=None,
        instructions=None,
        seed_instructions=None,
        temperature=None,
        max_tokens=None,
        top_p=None,
        top_k=None,
        reasoning_effort=None,
        use_inputs_schema=False,
        use_outputs_schema=None,
        decision_type=Decision,
        name=None,
        description=None,
        trainable=True,
        decision_examples=None,
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
        if isinstance(decision_type, str):
            decision_type = _decision_type_from_name(decision_type)
        if not (isinstance(decision_type, type) and issubclass(decision_type, Decision)):
            raise TypeError(
                f"{self.name}: `decision_type` must be synalinks.Decision, synalinks.MultiDecision "
                f"or a subclass, got {decision_type!r}."
            )
        self.decision_type = decision_type
        self.decision = decision_type(
            **inner_generator_arguments(
                locals(),
                question=question,
                labels=labels,
                examples=examples if examples is not None else decision_examples,
                name=f"{self.name}_decision",
            )
        )
        self.branches = branches
        self.inject_decision = inject_decision
        self.return_decision = return_decision

    async def _run_branch(self, branch, inputs, decision, training):
        output = await branch(inputs, training=training)
        if self.return_decision:
            return None if output is None else decision + output
        return output

    async def call(self, inputs, training=False):
        outputs = [None] * len(self.branches)
        if inputs is None:
            return tuple(outputs)
        decision = await self.decision(inputs, training=training)
        if decision is None:
            return tuple(outputs)
        chosen = _chosen_labels(decision)
        branch_inputs = inputs + decision if self.inject_decision else inputs
        positions = [index for index, label in enumerate(self.decision.labels) if label in chosen]
        results = await asyncio.gather(
            *(self._run_branch(self.branches[index], branch_inputs, decision, training) for index in positions)
        )
        for index, result in zip(positions, results):
            outputs[index] = result
        return tuple(outputs)

    def compute_output_spec(self, inputs):
        decision_schema = self.decision.output_spec(inputs).get_schema()
        if self.inject_decision:
            inputs = SymbolicDataModel(schema=concatenate_schemas(inputs.get_schema(), decision_schema))
        outputs = []
        for branch in self.branches:
            output = branch.output_spec(inputs)
            if self.return_decision:
                output = SymbolicDataModel(schema=concatenate_schemas(decision_schema, output.get_schema()))
            outputs.append(output)
        return tuple(outputs)

    def get_config(self):
        return {
            **super().get_config(),
            "question": self.decision.question,
            "labels": self.decision.labels,
            "branches": self.branches,
            "inject_decision": self.inject_decision,
            "return_decision": self.return_decision,
            "language_model": self.decision.language_model,
            **inner_generator_config(self.decision),
            "decision_type": get_registered_name(self.decision_type) or self.decision_type.__name__,
        }

    @classmethod
    def from_config(cls, config):
        return module_from_config(cls, config)
