"""The language and embedding models used when a module is given none."""

_defaults = {"language_model": None, "embedding_model": None}

DEFAULT_LANGUAGE_MODEL = "local/smollm2"
DEFAULT_EMBEDDING_MODEL = "local/minilm"


def set_default_language_model(language_model):
    """Sets the language model modules use when given none.

    Args:
        language_model: A `LanguageModel`, or a model string such as
            `"openai/gpt-4o-mini"`; None goes back to the embedded model.

    Example:

    ```python
    synalinks.set_default_language_model("ollama/llama3.2")
    generator = synalinks.Generator(data_model=Answer)  # uses ollama/llama3.2
    ```
    """
    _defaults["language_model"] = _as_model(language_model, "LanguageModel")


def get_default_language_model():
    """The default language model: the one set, or the embedded `local/smollm2`."""
    if _defaults["language_model"] is None:
        _defaults["language_model"] = _as_model(DEFAULT_LANGUAGE_MODEL, "LanguageModel")
    return _defaults["language_model"]


def set_default_embedding_model(embedding_model):
    """Sets the embedding model used when given none (a model string or `EmbeddingModel`)."""
    _defaults["embedding_model"] = _as_model(embedding_model, "EmbeddingModel")


def get_default_embedding_model():
    """The default embedding model: the one set, or the embedded `local/minilm`."""
    if _defaults["embedding_model"] is None:
        _defaults["embedding_model"] = _as_model(DEFAULT_EMBEDDING_MODEL, "EmbeddingModel")
    return _defaults["embedding_model"]


def _as_model(value, kind):
    if value is None or not isinstance(value, str):
        return value
    if kind == "LanguageModel":
        from synalinks.language_models.language_model import LanguageModel

        return LanguageModel(model=value)
    from synalinks.language_models.embedding_model import EmbeddingModel

    return EmbeddingModel(model=value)
