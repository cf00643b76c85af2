"""`OMEGA`: an evolutionary optimizer whose mutations and crossovers are written by a language model."""

import json
import logging
import math

from synalinks.language_models.call_budget import BudgetExceededError
from synalinks.language_models.defaults import get_default_embedding_model, get_default_language_model
from synalinks.language_models.embedding_model import cosine_similarity
from synalinks.optimizers.evolutionary_optimizer import EvolutionaryOptimizer
from synalinks.optimizers.example_pool import is_number, value_key
from synalinks.saving.object_registry import register_synalinks_serializable

logger = logging.getLogger("synalinks")

ALGORITHMS = ("dns", "ga")
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
THINKING_PROPERTY = {"type": "string", "description": "Your step by step thinking, before the new fields"}


@register_synalinks_serializable(package="synalinks")
def cosine_distance(first, second):
    """1 - the cosine similarity of two vectors: OMEGA's default distance between candidates."""
    return 1.0 - cosine_similarity(first, second)


@register_synalinks_serializable(package="synalinks")
class OMEGA(EvolutionaryOptimizer):
    """Evolves each variable's prompt fields (instructions, and any other field
    of its schema but `examples` and `predictions`) with a language model that
    reflects on the failures, and its few-shot examples as `RandomFewShot` does.

    After each batch, the candidate in use is scored by the batch's rewards,
    and the batch's samples are kept for reflection: its
    `nb_worst_predictions` lowest-rewarded and `nb_best_predictions` best
    predictions, and the `nb_hard_examples` inputs that failed most over
    training (seen at least `hard_example_min_observations` times). Then,
    with probability `merging_rate`, two candidates (chosen by `selection`)
    are crossed over: the language model merges them. Otherwise the current
    candidate is mutated: the language model reads the samples and rewrites
    the fields (with `use_chain_of_thought`, it may think first).

    At the end of each epoch the incumbents and `nb_candidates` reflected
    candidates race on the same training samples, as in `RandomFewShot`
    (successive halving, the winner loaded). Each reflected candidate's
    parent is drawn from the per-sample Pareto front of the last race, as
    GEPA does. The population is kept by Dominated Novelty Search
    (`algorithm="dns"`): a candidate's fitness is its mean distance to its
    `k_nearest_fitter` nearest better-scored candidates (embeddings compared
    by `distance_function`), so a worse candidate survives only if it is
    different; candidates more similar than `similarity_threshold` to a
    better one are dropped first. `algorithm="ga"` keeps the best scores.
    The proposer can be a stronger model than the program's own
    (`language_model`). A failed proposal call keeps the current candidate;
    a call refused by the budget of `fit` ends the proposals.

    Cost per epoch: one proposer call per batch, `nb_candidates` proposer
    calls and the race's program runs (about
    `eval_size * (nb_candidates + 2) * 3 / 4`), plus an embedding call for
    new candidates.

    Args:
        instructions: More about the task, for the proposer.
        language_model: The proposer: the model that writes mutations and
            crossovers, ideally stronger than the program's (default: the
            default language model).
        embedding_model: The model that embeds candidates for Dominated
            Novelty Search (default: the default embedding model) and, when
            given, example inputs, so the examples drawn are diverse.
        k_nearest_fitter: How many better candidates a candidate's novelty is measured against.
        distance_function: `fn(vector, vector) -> float` (register it to save
            the optimizer); by default the cosine distance.
        mutation_temperature: Sampling temperature of mutations.
        crossover_temperature: Sampling temperature of crossovers.
        reasoning_effort: The proposer's reasoning effort (sent only when set).
        use_chain_of_thought: Let the proposer write its thinking first.
        merging_rate: Probability of a crossover instead of a mutation.
        algorithm: "dns" (Dominated Novelty Search) or "ga" (best scores).
        selection: How crossover parents are chosen: "softmax", "best" or "random".
        selection_temperature: The softmax temperature of `selection`.
        population_size: The most candidates kept per variable.
        nb_best_predictions: The best predictions of a batch shown to the proposer.
        nb_worst_predictions: The worst predictions of a batch shown to the proposer.
        nb_hard_examples: The inputs that failed most over training shown too (0: none).
        hard_example_min_observations: How often an input must have been seen to be a hard example.
        name: The optimizer's name.
        description: What it does.
        similarity_threshold: Above this similarity, the worse of two
            candidates is dropped (1.0: never).
        nb_min_examples, nb_max_examples, sampling, sampling_temperature, max_predictions, seed, nb_candidates, eval_size: As for `RandomFewShot`.

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
        instructions=None,
        language_model=None,
        embedding_model=None,
        k_nearest_fitter=5,
        distance_function=None,
        mutation_temperature=0.3,
        crossover_temperature=0.3,
        reasoning_effort=None,
        use_chain_of_thought=True,
        merging_rate=0.05,
        algorithm="dns",
        selection="softmax",
        selection_temperature=0.3,
        population_size=10,
        nb_best_predictions=1,
        nb_worst_predictions=3,
        nb_hard_examples=1,
        hard_example_min_observations=2,
        name=None,
        description=None,
        similarity_threshold=0.95,
        nb_min_examples=4,
        nb_max_examples=8,
        sampling="best",
        sampling_temperature=1.0,
        max_predictions=64,
        seed=None,
        nb_candidates=4,
        eval_size=16,
        temperature=None,
    ):
        super().__init__(
            language_model=language_model,
            mutation_temperature=mutation_temperature,
            crossover_temperature=crossover_temperature,
            selection=selection,
            selection_temperature=selection_temperature,
            merging_rate=merging_rate,
            population_size=population_size,
            name=name,
            description=description,
            nb_min_examples=nb_min_examples,
            nb_max_examples=nb_max_examples,
            sampling=sampling,
            sampling_temperature=sampling_temperature if temperature is None else temperature,
            max_predictions=max_predictions,
            seed=seed,
            nb_candidates=nb_candidates,
            eval_size=eval_size,
            embedding_model=embedding_model,
        )
        if algorithm not in ALGORITHMS:
            raise ValueError(f"`algorithm` must be one of {ALGORITHMS}, got {algorithm!r}.")
        for value, what in (
            (k_nearest_fitter, "k_nearest_fitter"),
            (hard_example_min_observations, "hard_example_min_observations"),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"`{what}` must be a positive integer, got {value!r}.")
        for value, what in (
            (nb_best_predictions, "nb_best_predictions"),
            (nb_worst_predictions, "nb_worst_predictions"),
            (nb_hard_examples, "nb_hard_examples"),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"`{what}` must be an integer, 0 or more, got {value!r}.")
        if distance_function is not None and not callable(distance_function):
            raise TypeError(f"`distance_function` must be a function of two vectors, got {distance_function!r}.")
        self.instructions = instructions or ""
        self.k_nearest_fitter = k_nearest_fitter
        self.distance_function = distance_function
        self.reasoning_effort = reasoning_effort
        self.use_chain_of_thought = use_chain_of_thought
        self.algorithm = algorithm
        self.nb_best_predictions = nb_best_predictions
        self.nb_worst_predictions = nb_worst_predictions
        self.nb_hard_examples = nb_hard_examples
        self.hard_example_min_observations = hard_example_min_observations
        self.similarity_threshold = similarity_threshold
        self._embeddings = {}
        # Per variable, per input: [reward total, observations, the latest sample] (the hard-example memory).
        self.observations = {}

    # What the proposer reads

    def samples_for_reflection(self, variable, calls):
        """The batch's worst and best predictions, then the inputs that failed most over training."""
        samples = super().samples_for_reflection(variable, calls)  # all of them, failures first (capped)
        ordered = sorted(
            (sample for sample in [*samples]),
            key=lambda sample: sample["reward"] if is_number(sample["reward"]) else 0.0,
        )
        worst = ordered[: self.nb_worst_predictions]
        best = [s for s in reversed(ordered[self.nb_worst_predictions :])][: self.nb_best_predictions]
        memory = self.observations.setdefault(self.variable_key(variable), {})
        in_batch = set()
        for sample in samples:
            key = value_key(sample["inputs"])
            in_batch.add(key)
            entry = memory.setdefault(key, [0.0, 0, None])
            entry[0] += sample["reward"] if is_number(sample["reward"]) else 0.0
            entry[1] += 1
            entry[2] = sample
        hard = sorted(
            (
                entry
                for key, entry in memory.items()
                if key not in in_batch and entry[1] >= self.hard_example_min_observations
            ),
            key=lambda entry: entry[0] / entry[1],
        )[: self.nb_hard_examples]
        return [*worst, *best, *({**entry[2], "nb_observations": entry[1]} for entry in hard)]

    # Proposals

    async def _ask(self, instructions, payload, schema, temperature):
        from synalinks.language_models.language_model import LanguageModelAccessError, LanguageModelError

        model = self.language_model or get_default_language_model()
        if self.use_chain_of_thought:  # optional, first: the model may think before it writes the fields
            schema = {**schema, "properties": {"thinking": THINKING_PROPERTY, **schema["properties"]}}
        task = f"\nAbout the task: {self.instructions}" if self.instructions else ""
        messages = [
            {
                "role": "system",
                "content": f"{instructions}{task}\nReply with a JSON object that follows this JSON schema:\n{json.dumps(schema)}",
            },
            {"role": "user", "content": json.dumps(payload, ensure_ascii=False)},
        ]
        arguments = {"temperature": temperature}
        if self.reasoning_effort is not None:
            arguments["reasoning_effort"] = self.reasoning_effort
        try:
            reply = await model(messages, schema=schema, **arguments)
        except LanguageModelAccessError:  # a refused key stops the run
            raise
        except BudgetExceededError:  # fit sees the spent budget after this step and stops
            return None
        except LanguageModelError as error:
            logger.warning("%s: no proposal this time, the language model failed: %s", self.name, error)
            return None
        reply.pop("thinking", None)
        return reply

    async def mutate_candidate(self, variable, fields, samples, schema):
        return await self._ask(
            MUTATION_INSTRUCTIONS, {"current": fields, "samples": samples}, schema, self.mutation_temperature
        )

    async def merge_candidate(self, variable, first, second, schema):
        payload = {"candidate_1": first, "candidate_2": second}
        return await self._ask(CROSSOVER_INSTRUCTIONS, payload, schema, self.crossover_temperature)

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

    def _distance(self, first, second):
        return (self.distance_function or cosine_distance)(first, second)

    async def select(self, variable, population):
        population.sort(key=lambda candidate: candidate["score"], reverse=True)
        if self.algorithm == "ga" or len(population) <= 1:
            del population[self.population_size :]
            return
        vectors = await self._embed(population)
        kept, kept_vectors = [], []
        for candidate, vector in zip(population, vectors):
            if self.similarity_threshold < 1.0 and any(
                cosine_similarity(vector, better) > self.similarity_threshold for better in kept_vectors
            ):
                continue  # worse than, and too close to, a better candidate
            kept.append(candidate)
            kept_vectors.append(vector)
        while len(kept) > self.population_size:  # Dominated Novelty Search: drop the least novel
            novelty = []
            for index, vector in enumerate(kept_vectors):
                fitter = sorted(
                    self._distance(vector, other)
                    for other_index, other in enumerate(kept_vectors)
                    if kept[other_index]["score"] > kept[index]["score"]
                )[: self.k_nearest_fitter]
                novelty.append(sum(fitter) / len(fitter) if fitter else math.inf)
            weakest = min(range(len(kept)), key=lambda i: (novelty[i], kept[i]["score"], -i))
            del kept[weakest], kept_vectors[weakest]
        population[:] = kept

    # Saving

    def get_state(self):
        return {**super().get_state(), "observations": json.loads(json.dumps(self.observations))}

    def set_state(self, state):
        observations = state.get("observations", {}) if isinstance(state, dict) else None
        if not isinstance(observations, dict) or not all(isinstance(value, dict) for value in observations.values()):
            raise ValueError("The optimizer state's 'observations' must map each variable to an object.")
        super().set_state(state)
        self.observations = json.loads(json.dumps(observations))

    def get_config(self):
        return {
            **super().get_config(),
            "instructions": self.instructions,
            "k_nearest_fitter": self.k_nearest_fitter,
            "distance_function": self.distance_function,
            "reasoning_effort": self.reasoning_effort,
            "use_chain_of_thought": self.use_chain_of_thought,
            "algorithm": self.algorithm,
            "nb_best_predictions": self.nb_best_predictions,
            "nb_worst_predictions": self.nb_worst_predictions,
            "nb_hard_examples": self.nb_hard_examples,
            "hard_example_min_observations": self.hard_example_min_observations,
            "similarity_threshold": self.similarity_threshold,
        }
