from synalinks.metrics.accuracy import Accuracy
from synalinks.metrics.binary_accuracy import BinaryAccuracy
from synalinks.metrics.binary_fbeta_score import BinaryF1Score, BinaryFBetaScore, BinaryPrecision, BinaryRecall
from synalinks.metrics.categorical_accuracy import CategoricalAccuracy
from synalinks.metrics.categorical_fbeta_score import (
    CategoricalF1Score,
    CategoricalFBetaScore,
    CategoricalPrecision,
    CategoricalRecall,
    ListF1Score,
    ListFBetaScore,
)
from synalinks.metrics.confusion_score import ConfusionScore
from synalinks.metrics.f1_score import F1Score
from synalinks.metrics.fbeta_score import FBetaScore
from synalinks.metrics.lm_usage_metric import LMUsageMetric
from synalinks.metrics.max import Max
from synalinks.metrics.mean import Mean
from synalinks.metrics.mean_metric_wrapper import MeanMetricWrapper
from synalinks.metrics.metric import Metric
from synalinks.metrics.metric_lookup import deserialize, get, serialize
from synalinks.metrics.min import Min
from synalinks.metrics.pass_at_k import GapK, PassAtK, PassHatK
from synalinks.metrics.precision import Precision
from synalinks.metrics.recall import Recall
from synalinks.metrics.sum import Sum

__all__ = [
    "Accuracy",
    "BinaryAccuracy",
    "BinaryF1Score",
    "BinaryFBetaScore",
    "BinaryPrecision",
    "BinaryRecall",
    "CategoricalAccuracy",
    "CategoricalF1Score",
    "CategoricalFBetaScore",
    "CategoricalPrecision",
    "CategoricalRecall",
    "ConfusionScore",
    "F1Score",
    "FBetaScore",
    "GapK",
    "LMUsageMetric",
    "ListF1Score",
    "ListFBetaScore",
    "Max",
    "Mean",
    "MeanMetricWrapper",
    "Metric",
    "Min",
    "PassAtK",
    "PassHatK",
    "Precision",
    "Recall",
    "Sum",
    "deserialize",
    "get",
    "serialize",
]
