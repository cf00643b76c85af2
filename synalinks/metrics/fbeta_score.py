"""`FBetaScore`: word-level F-beta between the prediction's and the target's fields."""

import collections
import json
import re

from synalinks.data_models.json_data_model import to_json_data_model
from synalinks.metrics.mean import Mean
from synalinks.rewards.exact_match import masked_json
from synalinks.saving.object_registry import register_synalinks_serializable

AVERAGES = ("micro", "macro", "weighted")


def words(value):
    """The lower-cased words of a field's value (JSON text for non-strings)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return re.findall(r"\w+", text.lower())


def field_counts(y_true, y_pred, in_mask=None, out_mask=None):
    """`{field: (true_positives, false_positives, false_negatives, support)}` for one sample."""
    expected = masked_json(y_true.get_json(), in_mask, out_mask)
    found = masked_json(y_pred.get_json(), in_mask, out_mask) if y_pred is not None else {}
    counts = {}
    for field, value in expected.items():
        true_words = collections.Counter(words(value))
        predicted_words = collections.Counter(words(found[field])) if field in found else collections.Counter()
        overlap = sum((true_words & predicted_words).values())
        support = sum(true_words.values())
        counts[field] = (overlap, sum(predicted_words.values()) - overlap, support - overlap, support)
    return counts


@register_synalinks_serializable(package="synalinks")
class FBetaScore(Mean):
    """Word-level F-beta of each sample's fields, averaged over the samples.

    Each field's words are compared as bags of words (as in question-answering
    benchmarks). Fields are combined with `average`: "micro" pools the word
    counts of all fields, "macro" averages the fields' scores, "weighted"
    weights them by the number of words in the target. A missing prediction
    scores 0; an empty target matched by an empty prediction scores 1.

    Args:
        beta: Weight of recall against precision (1 for F1).
        average: "micro", "macro" or "weighted".
        in_mask: Only score these fields.
        out_mask: Ignore these fields.
        name: The name in the logs.

    Example:

    ```python
    program.compile(..., metrics=[synalinks.metrics.FBetaScore(beta=0.5, in_mask=["answer"])])
    ```
    """

    def __init__(self, beta=1.0, average="micro", in_mask=None, out_mask=None, name="fbeta_score", direction="up"):
        if average not in AVERAGES:
            raise ValueError(f"`average` must be one of {AVERAGES}, got {average!r}.")
        if beta <= 0:
            raise ValueError(f"`beta` must be positive, got {beta!r}.")
        super().__init__(name=name, direction=direction)
        self.beta = beta
        self.average = average
        self.in_mask = in_mask
        self.out_mask = out_mask

    def score(self, true_positives, false_positives, false_negatives):
        """The score of one set of word counts; subclasses give precision or recall."""
        if true_positives + false_positives + false_negatives == 0:
            return 1.0
        predicted = true_positives + false_positives
        actual = true_positives + false_negatives
        precision = true_positives / predicted if predicted else 0.0
        recall = true_positives / actual if actual else 0.0
        if precision + recall == 0:
            return 0.0
        beta2 = self.beta**2
        return (1 + beta2) * precision * recall / (beta2 * precision + recall)

    def sample_score(self, y_true, y_pred):
        if y_pred is None:
            return 0.0
        counts = field_counts(to_json_data_model(y_true), to_json_data_model(y_pred), self.in_mask, self.out_mask)
        if not counts:
            return 1.0
        if self.average == "micro":
            return self.score(*(sum(count[i] for count in counts.values()) for i in range(3)))
        scores = {field: self.score(*count[:3]) for field, count in counts.items()}
        if self.average == "macro":
            return sum(scores.values()) / len(scores)
        total = sum(count[3] for count in counts.values())
        if not total:
            return sum(scores.values()) / len(scores)
        return sum(scores[field] * counts[field][3] for field in counts) / total

    def update_state(self, y_true, y_pred):
        super().update_state([self.sample_score(true, pred) for true, pred in zip(y_true, y_pred)])

    def get_config(self):
        return {
            "beta": self.beta,
            "average": self.average,
            "in_mask": self.in_mask,
            "out_mask": self.out_mask,
            "name": self.name,
            "direction": self.direction,
        }
