"""`LanguageModel`: structured-output calls to any provider through litellm."""

import asyncio
import os
import random

from synalinks.data_models.schema_validation import schema_errors
from synalinks.language_models.reply_parsing import LanguageModelReplyError, parse_json_reply, reply_content
from synalinks.saving.object_registry import register_synalinks_serializable

# litellm fetches its model cost map from the network at import unless told
# not to; synalinks must work offline.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

# HTTP statuses that another try will not change.
_NOT_RETRIABLE_STATUS = {400, 401, 403, 404, 422}


class LanguageModelError(RuntimeError):
    """A language-model call failed for good (after its retries)."""


@register_synalinks_serializable(package="synalinks")
class LanguageModel:
    """A language model asked for JSON that follows a schema.

    Requests go through litellm (imported on first use, so `import synalinks`
    stays fast), with the output JSON schema as structured output. Each reply
    is parsed and validated against the schema; a failed call or an invalid
    reply is retried with exponential backoff, and after the last try a
    `LanguageModelError` says what went wrong.

    `litellm.acompletion` is looked up at call time, so tests may patch it;
    a reply may be litellm's `ModelResponse` or the plain dict
    `{"choices": [{"message": {"content": "<json>"}}]}`.

    Args:
        model: The model, as `provider/name` (`openai/gpt-4o-mini`,
            `ollama/llama3.2`, any litellm model string).
        api_base: The server's base URL, for local or self-hosted servers.
        api_key: The API key; by default litellm reads the provider's
            environment variable. Never saved to files.
        max_retries: How many times a failed call is tried again.
        retry_delay: Seconds before the first retry; doubled each time.
        **generation_kwargs: Passed to the provider (`temperature`, ...).

    Example:

    ```python
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    answer = await language_model(
        [{"role": "user", "content": "What is 2+2? Reply as JSON."}],
        schema=Answer.get_schema(),
    )
    ```
    """

    def __init__(self, model, api_base=None, api_key=None, max_retries=3, retry_delay=1.0, **generation_kwargs):
        if not isinstance(model, str) or not model:
            raise ValueError(f"`model` must be a model string such as 'openai/gpt-4o-mini', got {model!r}.")
        if max_retries < 0:
            raise ValueError(f"`max_retries` must be 0 or more, got {max_retries}.")
        self.model = model
        self.api_base = api_base
        self.api_key = api_key
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self.generation_kwargs = generation_kwargs
        self.call_count = 0

    async def __call__(self, messages, schema=None):
        """Sends `messages` and returns the reply as a dict that follows `schema`.

        Args:
            messages: Chat messages, `[{"role": ..., "content": ...}, ...]`.
            schema: The JSON schema the reply must follow.

        Raises:
            LanguageModelError: when every try failed.
        """
        last_error = None
        for attempt in range(self.max_retries + 1):
            if attempt:
                await asyncio.sleep(self.retry_delay * 2 ** (attempt - 1) * (0.5 + random.random()))
            self.call_count += 1
            try:
                value = parse_json_reply(await self._complete(messages, schema))
                if schema is not None:
                    errors = schema_errors(value, schema)
                    if errors:
                        raise LanguageModelReplyError(f"The reply does not match the schema: {'; '.join(errors[:3])}")
                return value
            except asyncio.CancelledError:
                raise
            except Exception as error:
                last_error = error
                if getattr(error, "status_code", None) in _NOT_RETRIABLE_STATUS:
                    break
        raise LanguageModelError(
            f"{self.model}: the call failed after {attempt + 1} tries: {type(last_error).__name__}: {last_error}"
        ) from last_error

    async def _complete(self, messages, schema):
        """Makes one provider call and returns the reply's text."""
        import litellm

        kwargs = dict(self.generation_kwargs)
        if self.api_base:
            kwargs["api_base"] = self.api_base
        if self.api_key:
            kwargs["api_key"] = self.api_key
        if schema is not None:
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": schema.get("title", "Output"), "schema": schema},
            }
        response = await litellm.acompletion(model=self._litellm_model(), messages=messages, **kwargs)
        return reply_content(response)

    def _litellm_model(self):
        if self.model.startswith("ollama/"):
            return "ollama_chat/" + self.model[len("ollama/") :]
        if self.model.startswith("vllm/"):
            return "hosted_vllm/" + self.model[len("vllm/") :]
        return self.model

    def get_config(self):
        # The API key is left out on purpose: files must never hold secrets.
        return {
            "model": self.model,
            "api_base": self.api_base,
            "max_retries": self.max_retries,
            "retry_delay": self.retry_delay,
            **self.generation_kwargs,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} model={self.model!r}>"
