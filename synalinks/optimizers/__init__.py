from synalinks.optimizers.evolutionary_optimizer import EvolutionaryOptimizer
from synalinks.optimizers.greedy_optimizer import GreedyOptimizer
from synalinks.optimizers.omega import OMEGA, cosine_distance
from synalinks.optimizers.optimizer import Optimizer
from synalinks.optimizers.population_optimizer import PopulationOptimizer
from synalinks.optimizers.random_few_shot import RandomFewShot

__all__ = [
    "OMEGA",
    "EvolutionaryOptimizer",
    "GreedyOptimizer",
    "Optimizer",
    "PopulationOptimizer",
    "RandomFewShot",
    "cosine_distance",
]
