"""`EvolutionaryOptimizer`: the base of optimizers that mutate and cross over prompt fields."""

import asyncio
import copy
import math

from synalinks.optimizers.example_pool import is_number
from synalinks.optimizers.population_optimizer import PopulationOptimizer

SELECTIONS = ("best", "random", "softmax")
MAX_SAMPLES_SHOWN = 8


class EvolutionaryOptimizer(PopulationOptimizer):
    """Evolves each variable's prompt fields (every field of its schema but
    `examples` and `predictions`, e.g. `instructions`) while drawing its
    few-shot examples as `RandomFewShot` does.

    After each batch, the batch's samples are kept for reflection. Then, with
    probability `merging_rate`, two candidates chosen by `selection` are
    crossed over (`merge_candidate`); otherwise the current candidate is
    mutated from the samples (`mutate_candidate`). At the end of an epoch,
    mutations of parents drawn from the last race's per-sample Pareto front
    race with the incumbents (see `PopulationOptimizer`).

    Subclasses implement `async mutate_candidate(variable, fields, samples,
    schema)` and `async merge_candidate(variable, first, second, schema)`,
    each returning new prompt fields (a dict following `schema`) or None to
    keep the current ones.

    Args:
        language_model: The model that writes mutations and crossovers (used
            by subclasses; by default the default language model).
        mutation_temperature: Sampling temperature of mutations.
        crossover_temperature: Sampling temperature of crossovers.
        selection: How crossover parents are chosen: "softmax" (weighted by
            `exp(score / selection_temperature)`), "best" (the two best) or "random".
        selection_temperature: The softmax temperature of `selection`.
        merging_rate: Probability of a crossover instead of a mutation.
        population_size: The most candidates kept per variable.
        name: The optimizer's name.
        description: What it does.
        nb_min_examples, nb_max_examples, sampling, sampling_temperature, max_predictions, seed, nb_candidates, eval_size, embedding_model:
            As for `GreedyOptimizer`.

    Example:

    ```python
    class Shouting(synalinks.optimizers.EvolutionaryOptimizer):
        \"\"\"Mutations shout the instructions; crossovers keep the better parent.\"\"\"

        async def mutate_candidate(self, variable, fields, samples, schema):
            return {"instructions": fields["instructions"].upper()}

        async def merge_candidate(self, variable, first, second, schema):
            return first["fields"]
    ```
    """

    def __init__(
        self,
        language_model=None,
        mutation_temperature=0.3,
        crossover_temperature=0.3,
        selection="softmax",
        selection_temperature=0.3,
        merging_rate=0.05,
        population_size=10,
        name=None,
        description=None,
        nb_min_examples=4,
        nb_max_examples=8,
        sampling="best",
        sampling_temperature=1.0,
        max_predictions=64,
        seed=None,
        nb_candidates=4,
        eval_size=16,
        embedding_model=None,
    ):
        super().__init__(
            population_size=population_size,
            nb_min_examples=nb_min_examples,
            nb_max_examples=nb_max_examples,
            sampling=sampling,
            temperature=sampling_temperature,
            max_predictions=max_predictions,
            seed=seed,
            name=name,
            nb_candidates=nb_candidates,
            eval_size=eval_size,
            embedding_model=embedding_model,
        )
        if selection not in SELECTIONS:
            raise ValueError(f"`selection` must be one of {SELECTIONS}, got {selection!r}.")
        if not 0.0 <= merging_rate <= 1.0:
            raise ValueError(f"`merging_rate` must be between 0 and 1, got {merging_rate!r}.")
        if selection_temperature <= 0:
            raise ValueError(f"`selection_temperature` must be positive, got {selection_temperature!r}.")
        self.language_model = language_model
        self.mutation_temperature = mutation_temperature
        self.crossover_temperature = crossover_temperature
        self.selection = selection
        self.selection_temperature = selection_temperature
        self.merging_rate = merging_rate
        self.description = description or (type(self).__doc__ or "").strip().split("\n")[0]
        # Per variable, the latest batch's samples (failures first): what mutations read.
        self.reflection_samples = {}

    # What evolves

    @staticmethod
    def prompt_schema(variable):
        """The schema of the variable's prompt fields (all but `examples` and `predictions`), or None."""
        schema = variable.get_schema() or {}
        properties = {
            name: prop for name, prop in schema.get("properties", {}).items() if name not in ("examples", "predictions")
        }
        if not properties:
            return None
        return {"title": "PromptFields", "type": "object", "properties": properties, "required": list(properties)}

    @staticmethod
    def prompt_fields(value, schema):
        """The prompt fields of a variable's value."""
        return {name: value.get(name) for name in schema["properties"]}

    # The hooks subclasses implement

    async def mutate_candidate(self, variable, fields, samples, schema):
        """New prompt fields from `fields` and the `samples` (inputs, prediction, ground truth, reward)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `mutate_candidate`.")

    async def merge_candidate(self, variable, first, second, schema):
        """New prompt fields combining two candidates (`{"fields": ..., "score": ...}` each)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `merge_candidate`.")

    def samples_for_reflection(self, variable, calls):
        """The samples a mutation reads from a batch's calls: the failures (lowest rewards) first."""
        samples = [
            {
                "inputs": inputs,
                "prediction": outputs,
                "ground_truth": target.get_json() if hasattr(target, "get_json") else target,
                "reward": reward,
            }
            for inputs, outputs, reward, target in calls
        ]
        samples.sort(key=lambda sample: sample["reward"] if is_number(sample["reward"]) else 0.0)
        return samples[:MAX_SAMPLES_SHOWN]

    # Proposals

    def select_parents(self, population):
        """Two distinct candidates of `population`, by `selection`."""
        ranked = sorted(population, key=lambda candidate: candidate["score"], reverse=True)
        if self.selection == "best":
            return ranked[0], ranked[1]
        if self.selection == "random":
            first, second = self._random.sample(range(len(ranked)), 2)
            return ranked[first], ranked[second]
        weights = [math.exp(candidate["score"] / self.selection_temperature) for candidate in ranked]
        first = self._random.choices(range(len(ranked)), weights=weights)[0]
        rest = [index for index in range(len(ranked)) if index != first]
        second = self._random.choices(rest, weights=[weights[index] for index in rest])[0]
        return ranked[first], ranked[second]

    async def _mutate(self, variable, value, schema):
        samples = self.reflection_samples.get(self.variable_key(variable), [])
        return await self.mutate_candidate(variable, self.prompt_fields(value, schema), samples, schema)

    async def optimize_variable(self, variable, calls):
        if "predictions" in variable.get_json():
            self.reflection_samples[self.variable_key(variable)] = self.samples_for_reflection(variable, calls)
        await super().optimize_variable(variable, calls)

    async def propose(self, variable, calls):
        proposal = {"examples": self.sample_examples(variable.get("predictions"), variable.get("examples"))}
        schema = self.prompt_schema(variable)
        if schema is None:
            return proposal
        population = self.populations.get(self.variable_key(variable), [])
        if len(population) >= 2 and self._random.random() < self.merging_rate:
            first, second = self.select_parents(population)
            fields = await self.merge_candidate(
                variable,
                {"fields": self.prompt_fields(first["value"], schema), "score": first["score"]},
                {"fields": self.prompt_fields(second["value"], schema), "score": second["score"]},
                schema,
            )
        else:
            fields = await self._mutate(variable, variable.get_json(), schema)
        if fields:
            proposal.update(fields)
        return proposal

    def _front_parent(self, variable, base):
        """A parent drawn from the last race's per-sample Pareto front, weighted by its wins (else `base`)."""
        front = [c for c in self.populations.get(self.variable_key(variable), []) if c.get("front")]
        if not front:
            return base
        return self._random.choices(front, weights=[c["front"] for c in front])[0]["value"]

    async def propose_candidates(self, variable, pool, base):
        """Candidates from parents of the Pareto front, each with a fresh example set: every other one
        with its fields rewritten (a mutation), the others with their parent's fields as they are.

        The examples-only half keeps the race finding the example sets `RandomFewShot` would when
        the proposer writes fields worse than its parent's (a small model as its own proposer).
        The parents and examples are drawn first (so the random draws do not depend on reply
        timing), then all the mutations are written at once."""
        schema = self.prompt_schema(variable)
        drafts = []
        for count in self.example_counts():
            parent = copy.deepcopy(self._front_parent(variable, base))
            drafts.append((parent, self.sample_examples(pool, parent.get("examples"), count=count)))
        mutated = [] if schema is None else drafts[::2]
        written = await asyncio.gather(*(self._mutate(variable, parent, schema) for parent, _ in mutated))
        fields = {id(parent): value for (parent, _), value in zip(mutated, written)}
        return [{**parent, **(fields.get(id(parent)) or {}), "examples": examples} for parent, examples in drafts]

    # Saving

    def get_state(self):
        return {**super().get_state(), "reflection_samples": copy.deepcopy(self.reflection_samples)}

    def set_state(self, state):
        samples = state.get("reflection_samples", {}) if isinstance(state, dict) else None
        if not isinstance(samples, dict) or not all(isinstance(value, list) for value in samples.values()):
            raise ValueError("The optimizer state's 'reflection_samples' must map each variable to a list.")
        super().set_state(state)
        self.reflection_samples = copy.deepcopy(samples)

    def get_config(self):
        config = super().get_config()
        config["sampling_temperature"] = config.pop("temperature")
        return {
            **config,
            "language_model": self.language_model,
            "mutation_temperature": self.mutation_temperature,
            "crossover_temperature": self.crossover_temperature,
            "selection": self.selection,
            "selection_temperature": self.selection_temperature,
            "merging_rate": self.merging_rate,
            "description": self.description,
        }
