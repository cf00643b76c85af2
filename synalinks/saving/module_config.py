"""Building modules that ask a language model from a saved config: the language model a file names,
or the one the caller passed to `load_program`; a file never gets the default model by saying `null`."""

from synalinks.saving.safe_mode import current_scope
from synalinks.saving.serialization import DeserializationError, deserialize_nested


def module_from_config(cls, config):
    """Builds a module that asks a language model from its config: nested objects built, and its
    `language_model` resolved by `language_model_from_config`. The `from_config` of every such module.

    Example:

    ```python
    @classmethod
    def from_config(cls, config):
        return module_from_config(cls, config)
    ```
    """
    config = deserialize_nested(config)
    return cls(**{**config, "language_model": language_model_from_config(config.get("language_model"))})


def language_model_from_config(language_model):
    """The language model of a module's config (built by `deserialize`); a file never gets the default
    model by saying `null`.

    While a file is loaded, a missing (`null`) language model is an error,
    unless the user passed `language_model=` to `load_program`.
    """
    if language_model is not None:
        return language_model
    scope = current_scope()
    if scope is None:
        return None
    if scope.language_model is not None and not isinstance(scope.language_model, dict):
        return scope.language_model
    raise DeserializationError(
        "The file names no language model for a module (`null`). Pass language_model=synalinks.LanguageModel(...) "
        "to load_program to choose one."
    )
