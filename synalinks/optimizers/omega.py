"""`OMEGA`: an evolutionary optimizer whose mutations and crossovers are written by a language model."""

import asyncio
import copy
import json
import logging
import math

from synalinks.language_models.call_budget import BudgetExceededError
from synalinks.language_models.defaults import get_default_embedding_model, get_default_language_model
from synalinks.language_models.embedding_model import cosine_similarity
from synalinks.optimizers.population_optimizer import PopulationOptimizer, _is_number
from synalinks.saving.object_registry import register_synalinks_serializable

logger = logging.getLogger("synalinks")

SELECTIONS = ("best", "softmax")
MUTATION_INSTRUCTIONS = (
    "You improve a step of a language-model program. Given its current prompt fields and how it did on some "
    "samples (inputs, predictions, ground truths and rewards from 0 to 1, the failures first), find what the "
    "failures have in common and what the ground truths require (their exact values and format), then write new "
    "prompt fields that would earn higher rewards. Keep what works, fix what fails, stay general."
)
CROSSOVER_INSTRUCTIONS = (
    "You combine two versions of the prompt fields of a language-model program step, each with its score, "
    "into one version that keeps the strengths of both."
)
MAX_SAMPLES_SHOWN = 8


@register_synalinks_serializable(package="synalinks")
class OMEGA(PopulationOptimizer):
    """Evolves each variable's prompt fields (instructions, and any other field
    of its schema but `examples` and `predictions`) with a language model that
    reflects on the failures, and its few-shot examples as `RandomFewShot` does.

    After each batch, the candidate in use is scored by the batch's rewards,
    and the batch's samples are kept for reflection (the failures first).
    Then, with probability `merging_rate`, two good candidates (chosen by
    `selection`) are crossed over: the language model merges them. Otherwise
    the current candidate is mutated: the language model reads the samples'
    inputs, predictions, ground truths and rewards and rewrites the fields.

    At the end of each epoch the incumbents and `nb_candidates` reflected
    candidates race on the same training samples, as in `RandomFewShot`
    (successive halving, the winner loaded). Each reflected candidate's
    parent is drawn from the per-sample Pareto front of the last race (the
    candidates with the best reward on at least one sample, weighted by how
    many), as GEPA does, so a candidate that solves samples the others miss
    keeps being improved. The proposer can be a stronger model than the
    program's own (`language_model`). Selection keeps the `population_size`
    best candidates, dropping any candidate that is both worse than another
    and too similar to it (cosine similarity of their embeddings above
    `similarity_threshold`). A failed proposal call keeps the current
    candidate; a call refused by the budget of `fit` ends the proposals.

    Cost per epoch: one proposer call per batch, `nb_candidates` proposer
    calls and the race's program runs (about
    `eval_size * (nb_candidates + 2) * 3 / 4`), plus an embedding call for
    new candidates.

    Args:
        language_model: The proposer: the model that writes mutations and
            crossovers, ideally stronger than the program's (default: the
            default language model).
        embedding_model: The model that embeds candidates for the similarity
            check (default: the default embedding model) and, when given,
            example inputs, so the examples drawn are diverse.
        population_size: The most candidates kept per variable.
        mutation_temperature: Sampling temperature of mutations.
        crossover_temperature: Sampling temperature of crossovers.
        merging_rate: Probability of a crossover instead of a mutation.
        selection: How crossover parents are chosen: "best" (the two best)
            or "softmax" (weighted by `exp(score / temperature)`).
        similarity_threshold: Above this similarity, the worse of two
            candidates is dropped.
        nb_min_examples: The fewest few-shot examples.
        nb_max_examples: The most few-shot examples.
        sampling: How examples are drawn ("best", "random", "softmax").
        temperature: The softmax temperature (examples and selection).
        max_predictions: Size of the predictions pool per variable.
        seed: Seed of the random choices.
        name: The optimizer's name.

    Example:

    ```python
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.OMEGA(
            language_model=synalinks.LanguageModel(model="openai/gpt-4o"),
            embedding_model=synalinks.EmbeddingModel(model="local/minilm"),
        ),
    )
    ```
    """

    def __init__(
        self,
        language_model=None,
        embedding_model=None,
        population_size=10,
        mutation_temperature=1.0,
        crossover_temperature=1.0,
        merging_rate=0.02,
        selection="best",
        similarity_threshold=0.95,
        nb_min_examples=4,
        nb_max_examples=8,
        sampling="best",
        temperature=1.0,
        max_predictions=64,
        seed=None,
        name=None,
        nb_candidates=4,
        eval_size=16,
    ):
        super().__init__(
            population_size=population_size,
            nb_min_examples=nb_min_examples,
            nb_max_examples=nb_max_examples,
            sampling=sampling,
            temperature=temperature,
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
        self.language_model = language_model
        self.mutation_temperature = mutation_temperature
        self.crossover_temperature = crossover_temperature
        self.merging_rate = merging_rate
        self.selection = selection
        self.similarity_threshold = similarity_threshold
        self._embeddings = {}
        # Per variable, the latest batch's samples (failures first): what reflection reads.
        self.reflection_samples = {}

    # What evolves

    @staticmethod
    def _prompt_schema(variable):
        schema = variable.get_schema() or {}
        properties = {
            name: prop for name, prop in schema.get("properties", {}).items() if name not in ("examples", "predictions")
        }
        if not properties:
            return None
        return {"title": "PromptFields", "type": "object", "properties": properties, "required": list(properties)}

    @staticmethod
    def _fields(value, schema):
        return {name: value.get(name) for name in schema["properties"]}

    # Proposals

    async def _ask(self, instructions, payload, schema, temperature):
        from synalinks.language_models.language_model import LanguageModelAccessError, LanguageModelError

        model = self.language_model or get_default_language_model()
        messages = [
            {
                "role": "system",
                "content": f"{instructions}\nReply with a JSON object that follows this JSON schema:\n{json.dumps(schema)}",
            },
            {"role": "user", "content": json.dumps(payload, ensure_ascii=False)},
        ]
        try:
            return await model(messages, schema=schema, temperature=temperature)
        except LanguageModelAccessError:  # a refused key stops the run
            raise
        except BudgetExceededError:  # fit sees the spent budget after this step and stops
            return None
        except LanguageModelError as error:
            logger.warning("%s: no proposal this time, the language model failed: %s", self.name, error)
            return None

    def _parents(self, population):
        ranked = sorted(population, key=lambda candidate: candidate["score"], reverse=True)
        if self.selection == "best":
            return ranked[0], ranked[1]
        weights = [math.exp(candidate["score"] / self.temperature) for candidate in ranked]
        first = self._random.choices(range(len(ranked)), weights=weights)[0]
        rest = [index for index in range(len(ranked)) if index != first]
        second = self._random.choices(rest, weights=[weights[index] for index in rest])[0]
        return ranked[first], ranked[second]

    @staticmethod
    def _samples_for_reflection(calls):
        """The samples a mutation reads: the failures (lowest rewards) first, at most `MAX_SAMPLES_SHOWN`."""
        samples = [
            {
                "inputs": inputs,
                "prediction": outputs,
                "ground_truth": target.get_json() if hasattr(target, "get_json") else target,
                "reward": reward,
            }
            for inputs, outputs, reward, target in calls
        ]
        samples.sort(key=lambda sample: sample["reward"] if _is_number(sample["reward"]) else 0.0)
        return samples[:MAX_SAMPLES_SHOWN]

    async def _reflect(self, variable, value, schema):
        """New prompt fields for `value`, written by the language model from the latest failures (or None)."""
        samples = self.reflection_samples.get(self.variable_key(variable), [])
        payload = {"current": self._fields(value, schema), "samples": samples}
        return await self._ask(MUTATION_INSTRUCTIONS, payload, schema, self.mutation_temperature)

    async def optimize_variable(self, variable, calls):
        if "predictions" in variable.get_json():
            self.reflection_samples[self.variable_key(variable)] = self._samples_for_reflection(calls)
        await super().optimize_variable(variable, calls)

    async def propose(self, variable, calls):
        proposal = {"examples": self.sample_examples(variable.get("predictions"), variable.get("examples"))}
        schema = self._prompt_schema(variable)
        if schema is None:
            return proposal
        population = self.populations.get(self.variable_key(variable), [])
        if len(population) >= 2 and self._random.random() < self.merging_rate:
            first, second = self._parents(population)
            payload = {
                "candidate_1": {"fields": self._fields(first["value"], schema), "score": first["score"]},
                "candidate_2": {"fields": self._fields(second["value"], schema), "score": second["score"]},
            }
            fields = await self._ask(CROSSOVER_INSTRUCTIONS, payload, schema, self.crossover_temperature)
        else:
            fields = await self._reflect(variable, variable.get_json(), schema)
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
        """Reflected prompt fields on parents from the Pareto front, each with a fresh example set.

        The parents and examples are drawn first (so the random draws do not depend on reply
        timing), then the proposer writes all the candidates at once."""
        schema = self._prompt_schema(variable)
        drafts = []
        for count in self.example_counts():
            parent = copy.deepcopy(self._front_parent(variable, base))
            drafts.append((parent, self.sample_examples(pool, parent.get("examples"), count=count)))
        if schema is None:
            fields = [None] * len(drafts)
        else:
            fields = await asyncio.gather(*(self._reflect(variable, parent, schema) for parent, _ in drafts))
        return [
            {**parent, **(written or {}), "examples": examples} for (parent, examples), written in zip(drafts, fields)
        ]

    # Selection

    async def _embed(self, candidates):
        missing = [c for c in candidates if json.dumps(c["value"], sort_keys=True) not in self._embeddings]
        if missing:
            model = self.embedding_model or get_default_embedding_model()
            texts = [
                json.dumps({k: v for k, v in c["value"].items() if k != "examples"}, sort_keys=True) for c in missing
            ]
            for candidate, vector in zip(missing, await model(texts)):
                self._embeddings[json.dumps(candidate["value"], sort_keys=True)] = vector
        return [self._embeddings[json.dumps(c["value"], sort_keys=True)] for c in candidates]

    async def select(self, variable, population):
        population.sort(key=lambda candidate: candidate["score"], reverse=True)
        if len(population) > 1 and self.similarity_threshold < 1.0:
            vectors = await self._embed(population)
            kept, kept_vectors = [], []
            for candidate, vector in zip(population, vectors):
                if any(cosine_similarity(vector, better) > self.similarity_threshold for better in kept_vectors):
                    continue  # worse than, and too close to, a better candidate
                kept.append(candidate)
                kept_vectors.append(vector)
            population[:] = kept
        del population[self.population_size :]

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
        return {
            **super().get_config(),
            "language_model": self.language_model,
            "mutation_temperature": self.mutation_temperature,
            "crossover_temperature": self.crossover_temperature,
            "merging_rate": self.merging_rate,
            "selection": self.selection,
            "similarity_threshold": self.similarity_threshold,
        }
