"""`RandomFewShot`: few-shot examples drawn from labels and the best-rewarded predictions."""

from synalinks.optimizers.greedy_optimizer import GreedyOptimizer
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class RandomFewShot(GreedyOptimizer):
    """Tries sets of few-shot examples drawn from labeled data and the program's best predictions.

    After each batch, the predictions made for its samples join the
    variable's `predictions` pool with their rewards (one per distinct input,
    the best kept). For a module whose output is the program's output, the
    targets `y` join the pool too, as labeled demonstrations (so a label the
    untrained model never predicts right still gets examples). Examples are
    drawn balanced across output values, so each label of a classifier is
    shown about equally often, and predictions with reward 0 are never used.
    The examples in use are scored by the rewards of the batch they ran on,
    and a new set is drawn and tried on the next batch (no extra LM call).

    At the end of each epoch a race decides which set is kept: the best set
    so far, the set in use and `nb_candidates` new sets (their sizes spread
    from `nb_min_examples` to `nb_max_examples`, so the number of shots is
    searched too) all run on the same `eval_size` training samples, none of
    which is one of their examples; after half the samples the worse half of
    the candidates stops (successive halving). The race costs about
    `eval_size * (nb_candidates + 2) * 3 / 4` program runs per epoch, counted
    in `optimizer.calls` and in the History as `optimizer_calls`; each race is
    recorded in `optimizer.trials`. With `nb_candidates=0` there is no race:
    the best-scored set is loaded instead.

    Only variables with `examples` and `predictions` fields (the state of a
    `Generator`) are changed.

    Args:
        nb_min_examples: The fewest examples to set (default 4; Synalinks'
            default is 1).
        nb_max_examples: The most examples to set (default 8; Synalinks'
            is 3; use 0 and 16 to search from zero-shot to sixteen shots).
            Small local models learn from more examples: on the embedded
            SmolLM2 the two-code task of the benchmarks reaches 0.90
            validation accuracy (median of 3 seeds) with 4 to 8 "best"
            examples, and 0.50 with Synalinks' 1 to 3 "softmax" ones.
        sampling: "best" (default: the highest rewards, ties drawn at
            random), "softmax" (Synalinks' default: weighted by
            `exp(reward / sampling_temperature)`) or "random" (uniformly
            among rewarded predictions).
        temperature: The softmax temperature (default 0.3;
            `sampling_temperature`, Synalinks' name, is the same).
        population_size: The most example sets kept per variable.
        max_predictions: Size of the pool of predictions kept per variable.
        seed: Seed of the random draws.
        name: The optimizer's name.
        nb_candidates: New example sets raced at each epoch end (0: no race).
        eval_size: Training samples each race is run on.
        embedding_model: When given (e.g. `EmbeddingModel(model="local/minilm")`,
            offline), the examples drawn for each output value are diverse:
            each next one is the input least similar to those already chosen.

    Example:

    ```python
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(nb_min_examples=1, nb_max_examples=3),
    )
    ```
    """

    def __init__(
        self,
        nb_min_examples=4,
        nb_max_examples=8,
        sampling="best",
        temperature=0.3,
        population_size=10,
        max_predictions=64,
        seed=None,
        name=None,
        sampling_temperature=None,
        nb_candidates=4,
        eval_size=16,
        embedding_model=None,
        description=None,
    ):
        super().__init__(
            nb_min_examples=nb_min_examples,
            nb_max_examples=nb_max_examples,
            sampling=sampling,
            sampling_temperature=temperature if sampling_temperature is None else sampling_temperature,
            population_size=population_size,
            name=name,
            description=description,
            max_predictions=max_predictions,
            seed=seed,
            nb_candidates=nb_candidates,
            eval_size=eval_size,
            embedding_model=embedding_model,
        )
