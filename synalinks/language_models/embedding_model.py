"""`EmbeddingModel`: texts to vectors, embedded offline or through litellm."""

import asyncio
import os
import time

from synalinks.hooks.span import current_span
from synalinks.hooks.traced_call import active_hooks, run_with_hooks
from synalinks.language_models.call_budget import BudgetExceededError, active_call_budget
from synalinks.language_models.concurrency_limiter import ConcurrencyLimiter
from synalinks.language_models.provider_model import ProviderModel, check_api_base, default_api_base
from synalinks.language_models.response_cache import ResponseCache
from synalinks.language_models.retries import backoff_delay, is_access_error, is_retriable
from synalinks.language_models.usage import Usage
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.checks import check_positive_int
from synalinks.utils.lru_cache import LRUCache
from synalinks.utils.reply_fields import field_of

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

LOCAL_MODEL = "local/minilm"
MEMORY_CACHE_SIZE = 4096  # texts whose vectors are kept in memory (the most recently used)
TRACED_TEXTS = 8  # texts of a call shown in its span (a call may embed thousands)


class EmbeddingError(RuntimeError):
    """The embedding model failed for good (after its retries). Its text never holds a credential."""


@register_synalinks_serializable(package="synalinks")
class EmbeddingModel(ProviderModel):
    """Turns texts into vectors, for knowledge bases, similarity rewards and optimizers.

    `local/minilm` (the default) is all-MiniLM-L6-v2 (384 dimensions) run
    in-process by onnxruntime, offline; any other model string goes through
    litellm (`openai/text-embedding-3-small`, `ollama/nomic-embed-text`, ...).

    Texts are sent in batches of `batch_size` (run concurrently, within
    `max_concurrency` and `requests_per_minute`, limits shared by every
    user of the same model string in the process); a batch that fails for a
    passing reason (rate limit, timeout, server error) is retried with
    exponential backoff, honouring `Retry-After`. With `caching` the vectors
    of the 4,096 texts last embedded are kept in memory (all of them on disk
    with `cache_dir`), so a text asked again (a query, an example) is not
    embedded again, and ingesting a large corpus does not fill the memory. `usage` counts calls, cache hits, failures,
    tokens, cost and time.

    Credentials, servers and errors are guarded as for `LanguageModel`
    (both are `ProviderModel`s): no secret-named setting (`api_key`,
    `extra_headers`, `aws_secret_access_key`, ...) is saved, a file loaded in
    safe mode cannot point the model at a server you did not allow, and a
    provider error is redacted before it is raised, logged or traced.

    Args:
        model: The model string.
        api_base: The server's base URL, for self-hosted servers (default:
            the model string's local server for `ollama/...` and `vllm/...`).
        api_key: The API key (never saved).
        batch_size: The most texts per request.
        max_retries: Retries of a failed request.
        retry_delay: The first backoff, in seconds (doubled each retry).
        retry_max_wait: The longest backoff, in seconds.
        max_concurrency: The most requests in flight.
        requests_per_minute: The most requests started per minute.
        caching: Keep each text's vector in memory (default True).
        cache_dir: Keep them on disk in this folder instead, across runs.
        timeout: Seconds before a provider request is abandoned (and retried).
        name: A name for logs.
        **default_kwargs: Sent with every provider request (e.g. `dimensions=256`).

    Example:

    ```python
    embedding_model = synalinks.EmbeddingModel(model="local/minilm")
    vectors = await embedding_model(["a cat sat on the mat", "a kitten on a rug"])
    ```
    """

    def __init__(
        self,
        model=LOCAL_MODEL,
        api_base=None,
        api_key=None,
        batch_size=128,
        max_retries=3,
        retry_delay=1.0,
        retry_max_wait=60.0,
        max_concurrency=None,
        requests_per_minute=None,
        caching=True,
        cache_dir=None,
        timeout=60.0,
        name=None,
        **default_kwargs,
    ):
        if not isinstance(model, str) or not model:
            raise ValueError(f"`model` must be a model string such as 'local/minilm', got {model!r}.")
        self.model = model
        self.api_base = check_api_base(api_base) or default_api_base(model)
        self.api_key = api_key
        self.batch_size = check_positive_int(batch_size, "batch_size")
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self.retry_max_wait = retry_max_wait
        self.max_concurrency = max_concurrency
        self.requests_per_minute = requests_per_minute
        self.caching = caching
        self.cache_dir = os.fspath(cache_dir) if cache_dir is not None else None
        self.timeout = timeout
        self.name = name or model
        self.default_kwargs = default_kwargs
        self.usage = Usage()
        self._cache = (
            ResponseCache(self.cache_dir) if self.cache_dir else (LRUCache(MEMORY_CACHE_SIZE) if caching else None)
        )
        self._limiter = ConcurrencyLimiter.shared(
            ("embedding", model, api_base), max_concurrency=max_concurrency, requests_per_minute=requests_per_minute
        )

    kind = "embedding model"

    def provider_settings(self):
        return self.default_kwargs

    async def __call__(self, texts):
        """Returns a list of vectors, one per text, in order.

        With global hooks (`synalinks.enable_observability`, `record_traces`,
        ...), the call is a span of kind "embedding_model" in the running
        trace, with its tokens and cost; the span holds the number of texts and
        the first few, and the vectors' count and dimension, not the vectors.
        """
        if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
            raise TypeError(
                f"EmbeddingModel takes a list of texts (`texts`), got {type(texts).__name__}; wrap a single text "
                "in a list."
            )
        texts = [str(text) for text in texts]
        if not texts:
            return []
        hooks = active_hooks(None)
        if hooks is None:
            return await self._embed(texts)
        vectors = []

        async def embed_and_describe():
            vectors.extend(await self._embed(texts))
            return {"vectors": len(vectors), "dimension": len(vectors[0]) if vectors else 0}

        inputs = {"count": len(texts), "texts": texts[:TRACED_TEXTS]}
        await run_with_hooks(hooks, self, "embedding_model", inputs, {}, embed_and_describe())
        return vectors

    async def _embed(self, texts):
        vectors = [None] * len(texts)
        keys = [self._key(text) for text in texts] if self._cache is not None else None
        missing = {}  # text -> the indexes waiting for it (a text repeated is embedded once)
        for index, text in enumerate(texts):
            cached = self._cache.get(keys[index]) if keys is not None else None
            if cached is not None:
                self.usage.cache_hits += 1
                vectors[index] = cached
            else:
                missing.setdefault(text, []).append(index)
        unique = list(missing)
        batches = [unique[start : start + self.batch_size] for start in range(0, len(unique), self.batch_size)]
        for batch, batch_vectors in zip(batches, await asyncio.gather(*(self._embed_batch(b) for b in batches))):
            for text, vector in zip(batch, batch_vectors):
                for index in missing[text]:
                    vectors[index] = vector
                if keys is not None:
                    self._cache.put(keys[missing[text][0]], vector)
        return vectors

    def _key(self, text):
        return ResponseCache.key({"embedding_model": self.model, "options": self.default_kwargs, "text": text})

    async def _embed_batch(self, texts):
        last_error = None
        for attempt in range(self.max_retries + 1):
            if attempt:
                await asyncio.sleep(backoff_delay(attempt, self.retry_delay, last_error, self.retry_max_wait))
            try:
                async with self._limiter:
                    budget = active_call_budget()
                    if budget is not None:  # a fit with max_cost that is spent: this request is not made
                        budget.check_cost_left(self.model)
                    self.usage.calls += 1
                    start = time.monotonic()
                    vectors, response = await self._request(texts)
                    prompt_tokens, _, cost = self.usage.record_reply(response, time.monotonic() - start)
                    if budget is not None:
                        budget.add_usage(0, cost)
                    span = current_span()
                    if span is not None:
                        span.add_usage(prompt_tokens, 0, cost)
                if len(vectors) != len(texts):
                    raise EmbeddingError(f"{self.model} returned {len(vectors)} vectors for {len(texts)} texts.")
                return vectors
            except (asyncio.CancelledError, BudgetExceededError):
                raise
            except Exception as error:
                self.usage.failures += 1
                last_error = error
                if isinstance(error, EmbeddingError) or is_access_error(error) or not is_retriable(error):
                    break
                if self.model == LOCAL_MODEL:
                    break
        # Not chained to the provider's error: its text (and its request's headers) may hold the key.
        raise EmbeddingError(
            f"{self.model}: embedding {len(texts)} texts failed after {attempt + 1} tries: "
            f"{type(last_error).__name__}: {self.redact_error(last_error)[:500]}"
        ) from None

    async def _request(self, texts):
        """One request: the vectors, and the reply (for usage)."""
        if self.model == LOCAL_MODEL:
            from synalinks.language_models.embedded_minilm import EmbeddedMiniLM

            model = await asyncio.to_thread(EmbeddedMiniLM.get)
            return await asyncio.to_thread(model.embed, texts), None
        import litellm

        kwargs = {**self.default_kwargs, **self.request_credentials()}
        response = await litellm.aembedding(model=self.model, input=texts, timeout=self.timeout, **kwargs)
        data = response["data"] if isinstance(response, dict) else response.data
        positions = [field_of(item, "index") for item in data]
        if None not in positions:  # providers may answer out of order; `index` says whose vector it is
            data = [item for _, item in sorted(zip(positions, data), key=lambda pair: pair[0])]
        return [item["embedding"] if isinstance(item, dict) else item.embedding for item in data], response

    def get_config(self):
        config = {
            "model": self.model,
            "api_base": self.api_base,
            "batch_size": self.batch_size,
            "max_retries": self.max_retries,
            "retry_delay": self.retry_delay,
            "retry_max_wait": self.retry_max_wait,
            "max_concurrency": self.max_concurrency,
            "requests_per_minute": self.requests_per_minute,
            "caching": self.caching,
            "cache_dir": self.cache_dir,
            "timeout": self.timeout,
            "name": self.name,
        }
        return {**config, **self.secret_free(self.default_kwargs)}

    @classmethod
    def from_config(cls, config):
        """Builds the model from `get_config()`'s output; in safe mode a server the caller did not
        allow is refused (see `ProviderModel.loaded_config`)."""
        return cls(**cls.loaded_config(config))

    def __repr__(self):
        return f"<EmbeddingModel model={self.model!r}>"


def cosine_similarity(first, second):
    """The cosine similarity of two vectors (lists of floats)."""
    dot = sum(a * b for a, b in zip(first, second))
    norm = (sum(a * a for a in first) ** 0.5) * (sum(b * b for b in second) ** 0.5)
    return dot / norm if norm else 0.0
