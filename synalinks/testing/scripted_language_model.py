"""`ScriptedLanguageModel`: a language model with replies written in advance, for tests."""

import asyncio
import json
import random
import weakref
from typing import Any

from synalinks.language_models.language_model import LanguageModel
from synalinks.saving.object_registry import register_synalinks_serializable

# Live scripted models by name, so a program saved and loaded in the same
# process reconnects to the model (and its reply function) it was built with.
_live_models: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()


@register_synalinks_serializable(package="synalinks")
class ScriptedLanguageModel(LanguageModel):
    """A language model for tests: replies come from a list or a function.

    Replies go through the same parsing, schema validation and retries as a
    provider's, so tests exercise the real path. A reply may be a dict, a JSON
    string, or an exception instance (raised, to simulate a failed call).

    Args:
        replies: Replies returned in order, the last one repeated when they run
            out (or a single reply for every call).
        reply_function: `fn(messages, schema, call_index) -> reply`, instead of
            `replies`; may be `async`. Without a schema (a chat turn), a reply
            dict with `content`, `tool_calls` or a `role` is the assistant's message.
        latency: Seconds each call takes (`asyncio.sleep`), or a `(low, high)`
            range to draw from.
        seed: Seed of the latency draws.
        cost_per_token: USD per token (prompt and completion) each reply reports as its cost.
        name: The model's name (`scripted/<name>`).
        max_retries: Tries after a failed call (default 0 in tests).
        retry_delay: Seconds before the first retry.
        max_concurrency: The most calls at once (default 64).
        requests_per_minute: The most calls started per minute.
        cache_dir: A folder to cache replies in.

    Attributes:
        requests: The messages of every call, in order.
        request_kwargs: The generation arguments of every call, in order.
        request_tools: The tools (provider format) offered in every call, in order.
        max_in_flight: The most calls that were running at once.

    Example:

    ```python
    from synalinks.testing import ScriptedLanguageModel

    language_model = ScriptedLanguageModel(replies=[{"answer": "4"}])
    program = synalinks.Sequential(
        [synalinks.Input(data_model=Query), synalinks.Generator(data_model=Answer, language_model=language_model)]
    )
    ```
    """

    def __init__(
        self,
        replies=None,
        reply_function=None,
        latency=0.0,
        seed=0,
        cost_per_token=0.0,
        name=None,
        max_retries=0,
        retry_delay=0.0,
        max_concurrency=None,
        requests_per_minute=None,
        cache_dir=None,
        model=None,
    ):
        if replies is None and reply_function is None:
            raise ValueError("ScriptedLanguageModel needs `replies` or a `reply_function`.")
        name = name or (model.split("/", 1)[-1] if model else f"model_{id(self):x}")
        super().__init__(
            model=f"scripted/{name}",
            max_retries=max_retries,
            retry_delay=retry_delay,
            max_concurrency=max_concurrency,
            requests_per_minute=requests_per_minute,
            cache_dir=cache_dir,
        )
        if replies is not None and not isinstance(replies, list):
            replies = [replies]
        self.replies = replies
        self.reply_function = reply_function
        self.latency = latency
        self.cost_per_token = cost_per_token
        self.seed = seed
        self._random = random.Random(seed)
        self.requests = []
        self.request_kwargs = []
        self.request_tools = []
        self.in_flight = 0
        self.max_in_flight = 0
        _live_models[name] = self

    @property
    def scripted_name(self):
        return self.model.split("/", 1)[1]

    async def _complete(self, messages, schema, tools=None, tool_choice=None, **generation_kwargs):
        index = len(self.requests)
        self.requests.append(messages)
        self.request_kwargs.append(generation_kwargs)
        self.request_tools.append(tools)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            delay = self._random.uniform(*self.latency) if isinstance(self.latency, (tuple, list)) else self.latency
            if delay:
                await asyncio.sleep(delay)
            if self.reply_function is not None:
                reply = self.reply_function(messages, schema, index)
                if asyncio.iscoroutine(reply):
                    reply = await reply
            else:
                reply = self.replies[min(index, len(self.replies) - 1)]
        finally:
            self.in_flight -= 1
        if isinstance(reply, BaseException):
            raise reply
        if schema is None and isinstance(reply, dict) and {"tool_calls", "role", "content"} & set(reply):
            message = {"role": "assistant", **reply}  # a chat turn, tool calls and all
        else:
            message = {"role": "assistant", "content": reply if isinstance(reply, str) else json.dumps(reply)}
        # Token counts are estimated (4 characters a token) so usage adds up in tests.
        completion = message.get("content") or json.dumps(message.get("tool_calls") or "")
        prompt_tokens = sum(len(str(message.get("content", ""))) for message in messages) // 4
        completion_tokens = len(completion) // 4
        return {
            "choices": [{"message": message}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens},
            "cost": (prompt_tokens + completion_tokens) * self.cost_per_token,
        }

    def get_config(self):
        replies = self.replies
        try:
            json.dumps(replies)
        except (TypeError, ValueError):
            replies = None
        return {
            "name": self.scripted_name,
            "replies": replies,
            "latency": self.latency,
            "cost_per_token": self.cost_per_token,
            "seed": self.seed,
            "max_retries": self.max_retries,
            "retry_delay": self.retry_delay,
            "max_concurrency": self.max_concurrency,
            "requests_per_minute": self.requests_per_minute,
            "cache_dir": self.cache_dir,
        }

    @classmethod
    def from_config(cls, config):
        live = _live_models.get(config.get("name"))
        if live is not None:
            return live
        if config.get("replies") is None:
            raise ValueError(
                f"The scripted language model '{config.get('name')}' used a reply function, which cannot be "
                "saved; create it again (same name) before loading the program."
            )
        return cls(**config)
