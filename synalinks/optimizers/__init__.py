from synalinks.optimizers.omega import OMEGA
from synalinks.optimizers.optimizer import Optimizer
from synalinks.optimizers.population_optimizer import PopulationOptimizer
from synalinks.optimizers.random_few_shot import RandomFewShot

__all__ = ["OMEGA", "Optimizer", "PopulationOptimizer", "RandomFewShot"]
