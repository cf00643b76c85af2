from synalinks.metrics.accuracy import Accuracy
from synalinks.metrics.f1_score import F1Score
from synalinks.metrics.fbeta_score import FBetaScore
from synalinks.metrics.lm_usage_metric import LMUsageMetric
from synalinks.metrics.max import Max
from synalinks.metrics.mean import Mean
from synalinks.metrics.mean_metric_wrapper import MeanMetricWrapper
from synalinks.metrics.metric import Metric
from synalinks.metrics.min import Min
from synalinks.metrics.precision import Precision
from synalinks.metrics.recall import Recall
from synalinks.metrics.sum import Sum

__all__ = [
    "Accuracy",
    "F1Score",
    "FBetaScore",
    "LMUsageMetric",
    "Max",
    "Mean",
    "MeanMetricWrapper",
    "Metric",
    "Min",
    "Precision",
    "Recall",
    "Sum",
]
