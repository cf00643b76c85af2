from synalinks.language_models.call_budget import BudgetExceededError, CallBudget
from synalinks.language_models.concurrency_limiter import ConcurrencyLimiter
from synalinks.language_models.defaults import (
    get_default_embedding_model,
    get_default_language_model,
    set_default_embedding_model,
    set_default_language_model,
)
from synalinks.language_models.embedding_model import EmbeddingError, EmbeddingModel, cosine_similarity
from synalinks.language_models.language_model import LanguageModel, LanguageModelAccessError, LanguageModelError
from synalinks.language_models.provider_model import ProviderModel
from synalinks.language_models.reply_parsing import LanguageModelReplyError, parse_json_reply, reply_content
from synalinks.language_models.response_cache import ResponseCache
from synalinks.language_models.usage import Usage

__all__ = [
    "BudgetExceededError",
    "CallBudget",
    "ConcurrencyLimiter",
    "EmbeddingError",
    "EmbeddingModel",
    "LanguageModel",
    "LanguageModelAccessError",
    "LanguageModelError",
    "LanguageModelReplyError",
    "ProviderModel",
    "ResponseCache",
    "Usage",
    "cosine_similarity",
    "get_default_embedding_model",
    "get_default_language_model",
    "parse_json_reply",
    "reply_content",
    "set_default_embedding_model",
    "set_default_language_model",
]
