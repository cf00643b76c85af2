"""synalinks: build language-model programs from modules and train them with in-context RL."""

from synalinks import (
    callbacks,
    data_models,
    language_models,
    metrics,
    modules,
    optimizers,
    programs,
    rewards,
    saving,
    testing,
    utils,
)
from synalinks.data_models import DataModel, Field, JsonDataModel, SymbolicDataModel
from synalinks.language_models import (
    EmbeddingModel,
    LanguageModel,
    get_default_embedding_model,
    get_default_language_model,
    set_default_embedding_model,
    set_default_language_model,
)
from synalinks.modules import And, Concat, Generator, Input, Module
from synalinks.programs import Program, Sequential
from synalinks.variables import Variable
from synalinks.version import __version__

__all__ = [
    "And",
    "Concat",
    "DataModel",
    "EmbeddingModel",
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
    "datasets",
    "language_models",
    "get_default_embedding_model",
    "get_default_language_model",
    "metrics",
    "modules",
    "optimizers",
    "programs",
    "rewards",
    "saving",
    "set_default_embedding_model",
    "set_default_language_model",
    "testing",
    "utils",
]
