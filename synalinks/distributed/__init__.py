"""Running programs past one machine, on Ray (the `ray` extra)."""

from synalinks.distributed.evaluate import evaluate
from synalinks.distributed.predict import predict
from synalinks.distributed.ray_trials import RayTrials

__all__ = ["RayTrials", "evaluate", "predict"]
