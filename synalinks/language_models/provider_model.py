"""`ProviderModel`: what every model reached through a provider shares (language models, embedding
models): its credentials and server, a config that holds no secret, what a loaded file may point it at,
and errors that never carry a key."""

from synalinks.saving.safe_mode import current_scope
from synalinks.saving.secrets import redact, secret_values, without_secrets
from synalinks.saving.serialization import DeserializationError, deserialize_nested, quote


def default_api_base(model):
    """The local server a model string implies (Ollama, vLLM), or None."""
    if not isinstance(model, str):
        return None
    if model.startswith("ollama/"):
        return "http://localhost:11434"
    if model.startswith("vllm/"):
        return "http://localhost:8000/v1"
    return None


def check_api_base(api_base):
    if api_base is not None and not isinstance(api_base, str):
        raise TypeError(f"`api_base` must be a URL string or None, got {type(api_base).__name__}.")
    return api_base


class ProviderModel:
    """The base of `LanguageModel` and `EmbeddingModel`: one place for what a provider-backed model must
    get right, so that another such class cannot diverge.

    - Credentials: `api_key` and every secret-named setting (`*_key`,
      `*_secret*`, `*token*`, headers) are sent with requests and never kept
      in `get_config()` (so never in a saved program, a checkpoint or a Ray
      payload).
    - Servers: while a file is loaded in safe mode, a model may not be
      pointed at a server the caller did not allow: an `api_base` other than
      the model string's default, or a `custom_llm_provider` that would send
      another provider's key to the model's server.
    - Errors: a provider error is redacted (the key, every secret setting
      and environment variable, anything shaped like a provider key) before
      it is raised, logged or traced.

    Subclasses set `api_base` and `api_key` and return their provider
    settings from `provider_settings()`.
    """

    kind = "model"  # how messages name it

    def provider_settings(self):
        """The keyword arguments sent with every request (generation parameters, headers, ...)."""
        return {}

    def request_credentials(self):
        """`api_base` and `api_key` as litellm takes them (only those set)."""
        kwargs = {}
        if self.api_base:
            kwargs["api_base"] = self.api_base
        if self.api_key:
            kwargs["api_key"] = self.api_key
        return kwargs

    def litellm_kwargs(self, generation_kwargs):
        """The keyword arguments of one litellm request: the settings, the credentials, the model's
        `timeout`, and no retry inside litellm (retries are ours: they honour Retry-After)."""
        kwargs = {**generation_kwargs, **self.request_credentials()}
        kwargs.setdefault("timeout", self.timeout or None)
        kwargs.setdefault("num_retries", 0)
        kwargs.setdefault("max_retries", 0)
        return kwargs

    def redact_error(self, error):
        """The error's text without the API key or any other credential it may echo."""
        secrets = secret_values(self.provider_settings())
        if self.api_key:
            secrets.add(str(self.api_key))
        return redact(error, secrets)

    @staticmethod
    def secret_free(config):
        """`config` without its secret-named entries (what `get_config()` returns)."""
        return without_secrets(config)

    @classmethod
    def loaded_config(cls, config):
        """A file's config for this model, secrets dropped and nested objects built, checked against the
        `SafeModeScope` in force.

        Raises:
            DeserializationError: in safe mode, for a server the caller did not allow.
        """
        config = without_secrets(deserialize_nested(dict(config)))
        scope = current_scope()
        if scope is None or not scope.safe_mode:
            return config
        model = config.get("model")
        default_base = default_api_base(model)
        api_base = config.get("api_base") or default_base
        asked = None
        if config.get("api_base") not in (None, default_base):
            asked = f"the server {quote(api_base)}"
        elif config.get("custom_llm_provider") is not None and api_base is not None:
            asked = f"the provider {quote(config['custom_llm_provider'])} at the server {quote(api_base)}"
        if asked is not None and not scope.allows_api_base(api_base):
            raise DeserializationError(
                f"The file points the {cls.kind} {quote(model)} at {asked}, which would receive your API key. "
                f"Safe mode refuses it: pass allowed_api_bases=[{quote(api_base)}] (or the model itself) to "
                "load_program if you trust that server, or load with safe_mode=False."
            )
        return config
