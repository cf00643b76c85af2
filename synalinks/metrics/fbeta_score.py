"""`FBetaScore`: word-level F-beta between the prediction's and the target's fields."""

import collections
import json
import re

from synalinks.data_models.json_data_model import to_json_data_model
from synalinks.data_models.json_operations import checked_masks, mask_json
from synalinks.metrics.mean import Mean
from synalinks.saving.object_registry import register_synalinks_serializable

AVERAGES = ("micro", "macro", "weighted")


def fbeta(true_positives, false_positives, false_negatives, beta=1.0):
    """The F-beta of a set of counts (1.0 when there is nothing to find and nothing found)."""
    if true_positives + false_positives + false_negatives == 0:
        return 1.0
    predicted = true_positives + false_positives
    actual = true_positives + false_negatives
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / actual if actual else 0.0
    if precision + recall == 0:
        return 0.0
    beta2 = beta**2
    return (1 + beta2) * precision * recall / (beta2 * precision + recall)


def precision(true_positives, false_positives, false_negatives, beta=None):
    """The share of what was found that is right."""
    predicted = true_positives + false_positives
    if predicted == 0:
        return 1.0 if false_negatives == 0 else 0.0
    return true_positives / predicted


def recall(true_positives, false_positives, false_negatives, beta=None):
    """The share of what was to find that was found."""
    actual = true_positives + false_negatives
    if actual == 0:
        return 1.0 if false_positives == 0 else 0.0
    return true_positives / actual


FORMULAS = {"fbeta": fbeta, "precision": precision, "recall": recall}


def words(value):
    """The lower-cased words of a field's value (JSON text for non-strings)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return re.findall(r"\w+", text.lower())


def field_counts(expected, found):
    """`{field: (true_positives, false_positives, false_negatives, support)}` of the words of two dicts."""
    counts = {}
    for field, value in expected.items():
        true_words = collections.Counter(words(value))
        predicted_words = collections.Counter(words(found[field])) if field in found else collections.Counter()
        overlap = sum((true_words & predicted_words).values())
        support = sum(true_words.values())
        counts[field] = (overlap, sum(predicted_words.values()) - overlap, support - overlap, support)
    return counts


def average_counts(counts, average, score):
    """One score from `{key: (tp, fp, fn, support)}`: pooled counts ("micro"), the keys' mean
    ("macro") or their mean weighted by support ("weighted")."""
    if not counts:
        return 1.0
    if average == "micro":
        return score(*(sum(count[i] for count in counts.values()) for i in range(3)))
    scores = {key: score(*count[:3]) for key, count in counts.items()}
    total = sum(count[3] for count in counts.values())
    if average == "macro" or not total:
        return sum(scores.values()) / len(scores)
    return sum(scores[key] * counts[key][3] for key in counts) / total


@register_synalinks_serializable(package="synalinks")
class FBetaScore(Mean):
    """Word-level F-beta of each sample's fields, averaged over the samples.

    Each field's words are compared as bags of words (as in question-answering
    benchmarks). Fields are combined with `average`: "micro" pools the word
    counts of all fields, "macro" averages the fields' scores, "weighted"
    weights them by the number of words in the target. A missing prediction
    scores 0; an empty target matched by an empty prediction scores 1.

    Args:
        average: "micro" (default here; Synalinks' `None`, a score per
            field, is not a loggable number), "macro" or "weighted".
        beta: Weight of recall against precision (1 for F1).
        name: The name in the logs.
        in_mask: Only score these fields.
        out_mask: Ignore these fields.
        in_mask_pattern: Also score the fields matching this regex.
        out_mask_pattern: Also ignore the fields matching this regex.
        direction: "up" (higher is better).

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.FBetaScore(beta=0.5, in_mask=["answer"])])
    ```
    """

    formula = "fbeta"

    def __init__(
        self,
        average="micro",
        beta=1.0,
        name="fbeta_score",
        in_mask=None,
        out_mask=None,
        in_mask_pattern=None,
        out_mask_pattern=None,
        direction="up",
    ):
        if average is None:
            average = "micro"  # Synalinks' default asks for one score per field; logs need one number
        if average not in AVERAGES:
            raise ValueError(f"`average` must be one of {AVERAGES}, got {average!r}.")
        if isinstance(beta, bool) or not isinstance(beta, (int, float)) or beta <= 0:
            raise ValueError(f"`beta` must be a positive number, got {beta!r}.")
        super().__init__(name=name, direction=direction)
        self.beta = float(beta)
        self.average = average
        self.in_mask, self.out_mask, self._keep = checked_masks(
            in_mask, out_mask, in_mask_pattern, out_mask_pattern, who=type(self).__name__
        )
        self.in_mask_pattern = in_mask_pattern
        self.out_mask_pattern = out_mask_pattern

    def score(self, true_positives, false_positives, false_negatives):
        """The score of one set of counts, by the class's `formula`."""
        return FORMULAS[self.formula](true_positives, false_positives, false_negatives, self.beta)

    def masked(self, value):
        """The fields of `value` (a data model) the masks keep, as a dict."""
        value = to_json_data_model(value).get_json()
        return value if self._keep is None else mask_json(value, self._keep)

    def sample_score(self, y_true, y_pred):
        if y_pred is None:
            return 0.0
        return average_counts(field_counts(self.masked(y_true), self.masked(y_pred)), self.average, self.score)

    def update_state(self, y_true, y_pred):
        super().update_state([self.sample_score(true, pred) for true, pred in zip(y_true, y_pred)])

    def get_config(self):
        return {
            "average": self.average,
            "beta": self.beta,
            "name": self.name,
            "in_mask": self.in_mask,
            "out_mask": self.out_mask,
            "in_mask_pattern": self.in_mask_pattern,
            "out_mask_pattern": self.out_mask_pattern,
            "direction": self.direction,
        }
