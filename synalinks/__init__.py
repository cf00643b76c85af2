"""synalinks: build language-model programs from modules and train them with in-context RL."""

from synalinks import callbacks, data_models, metrics, modules, optimizers, programs, rewards, saving, testing, utils
from synalinks.data_models import DataModel, Field, JsonDataModel, SymbolicDataModel
from synalinks.language_models import LanguageModel
from synalinks.modules import And, Concat, Generator, Input, Module
from synalinks.programs import Program, Sequential
from synalinks.variables import Variable
from synalinks.version import __version__

__all__ = [
    "And",
    "Concat",
    "DataModel",
    "Field",
    "Generator",
    "Input",
    "JsonDataModel",
    "LanguageModel",
    "Module",
    "Program",
    "Sequential",
    "SymbolicDataModel",
    "Variable",
    "__version__",
    "callbacks",
    "data_models",
    "metrics",
    "modules",
    "optimizers",
    "programs",
    "rewards",
    "saving",
    "testing",
    "utils",
]
