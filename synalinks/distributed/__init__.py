"""Running programs past one machine, on Ray (the `ray` extra)."""

from synalinks.distributed.evaluate import evaluate
from synalinks.distributed.predict import predict

__all__ = ["evaluate", "predict"]
