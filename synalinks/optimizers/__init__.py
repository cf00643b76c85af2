from synalinks.optimizers.optimizer import Optimizer
from synalinks.optimizers.random_few_shot import RandomFewShot

__all__ = ["Optimizer", "RandomFewShot"]
