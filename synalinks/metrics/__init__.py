from synalinks.metrics.accuracy import Accuracy
from synalinks.metrics.mean import Mean
from synalinks.metrics.mean_metric_wrapper import MeanMetricWrapper
from synalinks.metrics.metric import Metric

__all__ = ["Accuracy", "Mean", "MeanMetricWrapper", "Metric"]
