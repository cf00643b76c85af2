"""`synalinks.config`: the process-wide settings, under the names Synalinks gives them."""

from synalinks.hooks import enable_observability, record_traces
from synalinks.language_models.defaults import (
    get_default_embedding_model as default_embedding_model,
)
from synalinks.language_models.defaults import (
    get_default_language_model as default_language_model,
)
from synalinks.language_models.defaults import set_default_embedding_model, set_default_language_model
from synalinks.utils.home import synalinks_home
from synalinks.utils.logs import enable_logging
from synalinks.utils.naming import clear_session
from synalinks.utils.seed import get_seed, set_seed

__all__ = [
    "clear_session",
    "default_embedding_model",
    "default_language_model",
    "enable_logging",
    "enable_observability",
    "get_seed",
    "record_traces",
    "set_default_embedding_model",
    "set_default_language_model",
    "set_seed",
    "synalinks_home",
]
