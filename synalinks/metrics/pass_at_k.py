"""Metrics of k sampled answers per problem: `PassAtK` (pass@k), `PassHatK` (pass^k) and `GapK`.

Each batch holds the k samples of one problem (repeat each input k times
and set `batch_size=k`); a sample passes when its reward reaches
`pass_threshold`. The per-problem estimates are averaged over the dataset.
"""

import math

from synalinks.metrics.mean import Mean
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class PassAtK(Mean):
    """pass@k: the chance that at least one of k samples of a problem passes.

    With n samples of which c pass, the unbiased estimate is
    `1 - C(n - c, k) / C(n, k)` (1 when n - c < k); k is capped at n.

    Args:
        k: The number of samples in "@k".
        reward: The per-sample pass signal (`await reward(y_true, y_pred)`);
            `ExactMatch()` by default.
        pass_threshold: The reward a sample needs to pass (1.0 by default).
        name: The name in the logs.

    Example:

    ```python
    questions, answers = [Query(query="What is 2 + 2?")], [Answer(answer="4")]
    x, y = [q for q in questions for _ in range(5)], [a for a in answers for _ in range(5)]
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.PassAtK(k=5)])
    program.evaluate(x, y, batch_size=5)["pass_at_k"]
    ```
    """

    def __init__(self, k=1, reward=None, pass_threshold=1.0, name="pass_at_k", direction="up"):
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"`k` must be a positive integer, got {k!r}.")
        super().__init__(name=name, direction=direction)
        if reward is None:
            from synalinks.rewards.exact_match import ExactMatch

            reward = ExactMatch()
        self.k = k
        self.reward = reward
        self.pass_threshold = float(pass_threshold)

    def estimate(self, n, c):
        """The metric for one problem with `n` samples of which `c` passed."""
        k = min(self.k, n)
        if n - c < k:
            return 1.0
        return 1.0 - math.comb(n - c, k) / math.comb(n, k)

    async def update_state(self, y_true, y_pred):
        rewards = [await self.reward(true, pred) for true, pred in zip(y_true, y_pred)]
        if rewards:
            super().update_state([self.estimate(len(rewards), sum(r >= self.pass_threshold for r in rewards))])

    def get_config(self):
        return {
            "k": self.k,
            "reward": self.reward,
            "pass_threshold": self.pass_threshold,
            "name": self.name,
            "direction": self.direction,
        }


@register_synalinks_serializable(package="synalinks")
class PassHatK(PassAtK):
    """pass^k: the chance that all of k samples of a problem pass (`C(c, k) / C(n, k)`).

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.PassHatK(k=5)])
    ```
    """

    def __init__(self, k=1, reward=None, pass_threshold=1.0, name="pass_hat_k", direction="up"):
        super().__init__(k=k, reward=reward, pass_threshold=pass_threshold, name=name, direction=direction)

    def estimate(self, n, c):
        k = min(self.k, n)
        return math.comb(c, k) / math.comb(n, k)


@register_synalinks_serializable(package="synalinks")
class GapK(PassAtK):
    """pass@k minus pass^k: how much a problem's success depends on the draw (0: consistent).

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.GapK(k=5)])
    ```
    """

    def __init__(self, k=1, reward=None, pass_threshold=1.0, name="gap_k", direction="down"):
        super().__init__(k=k, reward=reward, pass_threshold=pass_threshold, name=name, direction=direction)

    def estimate(self, n, c):
        return PassAtK.estimate(self, n, c) - PassHatK.estimate(self, n, c)
