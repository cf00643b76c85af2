"""`LanguageModelTransport`: one call to a provider (through litellm) or to the embedded model, with budgets,
retries and reply repair."""

import asyncio
import time

from synalinks.data_models.chat_messages import message_from_reply
from synalinks.data_models.schema_validation import schema_errors
from synalinks.hooks.span import current_span
from synalinks.language_models.call_budget import BudgetExceededError, active_call_budget, settle_all
from synalinks.language_models.language_model_errors import LanguageModelAccessError, LanguageModelError
from synalinks.language_models.reply_parsing import (
    LanguageModelReplyError,
    parse_json_reply,
    reply_content,
    reply_message,
)
from synalinks.language_models.retries import backoff_delay, is_access_error, is_retriable
from synalinks.language_models.structured_output import choose_mode, request_arguments
from synalinks.language_models.tool_calling import fallback_messages, fallback_reply, fallback_schema

LOCAL_PREFIX = "local/"
REPAIR_MESSAGE = (
    "Your reply could not be used: {error}. Reply again with only a JSON object that follows the JSON schema."
)


class LanguageModelTransport:
    """How `LanguageModel` sends a call: a mixin, which holds the settings, the cache and the hooks.

    A call reserves its price in the running fit's budget and the model's
    own before anything is sent, runs under the model's concurrency limit,
    is retried with backoff on transient errors, and is asked again, shown
    its reply and what was wrong, when the reply does not follow the schema.
    """

    def _litellm_model(self):
        if self.model.startswith("ollama/"):
            return "ollama_chat/" + self.model[len("ollama/") :]
        if self.model.startswith("vllm/"):
            return "hosted_vllm/" + self.model[len("vllm/") :]
        return self.model

    def _record_reply(self, response, latency, span=None):
        """Counts a reply in `usage` and in `span` (by default the running call's, when hooks trace it);
        returns its cost."""
        prompt_tokens, completion_tokens, cost = self.usage.record_reply(response, latency)
        span = span or current_span()
        if span is not None:
            span.add_usage(prompt_tokens, completion_tokens, cost)
        return cost

    def listed_price(self, prompt_size):
        """The most a call with a prompt of `prompt_size` characters can cost by the model's listed price:
        0 for the embedded model; for a provider, the prompt (a token per character at most) and the
        longest reply at litellm's price list; None when the price is not listed."""
        if self.is_local:
            return 0.0
        if self._listed_prices is None:  # looked up once: litellm's lookup is slow, and calls are many
            self._listed_prices = self._look_up_listed_prices()
        if not self._listed_prices:
            return None
        input_price, output_price, longest = self._listed_prices
        return input_price * max(prompt_size, 1) + output_price * longest

    def _look_up_listed_prices(self):
        """`(input price per token, output price per token, longest reply)` from litellm's price list, or ()."""
        try:
            import litellm

            info = litellm.get_model_info(self._litellm_model())
        except Exception:  # not in litellm's price list
            return ()
        input_price, output_price = info.get("input_cost_per_token"), info.get("output_cost_per_token")
        longest = self.generation_kwargs.get("max_tokens") or info.get("max_output_tokens") or info.get("max_tokens")
        return (input_price, output_price, longest) if input_price and output_price and longest else ()

    async def _reserve_budgets(self, fit_budget, messages):
        """Reserves one call in the running fit's budget and this model's own:
        `[(budget, reserved price, prompt size)]`."""
        prompt_size = 1
        if (fit_budget is not None and fit_budget.max_cost is not None) or (
            self._budget is not None and self._budget.max_cost is not None
        ):
            prompt_size = sum(len(str(message.get("content") or "")) for message in messages)
        reservations = []
        try:
            for budget in (fit_budget, self._budget):
                if budget is not None:
                    listed = self.listed_price(prompt_size) if budget.max_cost is not None else None
                    reservations.append((budget, await budget.reserve(self.name, prompt_size, listed), prompt_size))
        except BudgetExceededError as error:
            for budget, reserved, _ in reservations:
                budget.cancel(reserved)
            if fit_budget is not None:
                fit_budget.note_refusal(error)  # the fit stops, saying which budget
            raise
        return reservations

    async def _call_with_retries(self, messages, request, generation_kwargs):
        schema, tools, tool_choice = request
        conversation = messages
        last_error = None
        for attempt in range(self.max_retries + 1):
            if attempt and not isinstance(last_error, LanguageModelReplyError):
                await asyncio.sleep(backoff_delay(attempt, self.retry_delay, last_error, self.retry_max_wait))
            content = None
            try:
                async with self._limiter:
                    # Raises, before anything is sent, when a budget (fit's, this model's) is spent.
                    fit_budget = active_call_budget()
                    reservations = ()
                    if fit_budget is not None or self._budget is not None:
                        reservations = await self._reserve_budgets(fit_budget, conversation)
                    cost = None
                    try:
                        self.usage.calls += 1
                        start = time.monotonic()
                        # Provider calls time out in litellm's HTTP client (`timeout`, passed in _complete);
                        # the embedded model runs in a thread that cannot be stopped, so it is not timed out.
                        response = await self._complete(conversation, schema, tools, tool_choice, **generation_kwargs)
                        cost = self._record_reply(response, time.monotonic() - start)
                    finally:
                        settle_all(reservations, cost)
                if schema is None:  # a chat turn: the message as it is, tool calls included
                    return message_from_reply(reply_message(response))
                content = reply_content(response)
                value = parse_json_reply(content)
                if schema is not None:
                    errors = schema_errors(value, schema)
                    if errors:
                        raise LanguageModelReplyError(f"the reply does not match the schema: {'; '.join(errors[:3])}")
                return value
            except (asyncio.CancelledError, BudgetExceededError):
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
                if is_access_error(error):
                    raise LanguageModelAccessError(
                        f"{self.model}: the provider refused the credentials or none are set "
                        f"({type(error).__name__}: {self.redact_error(error)[:300]}). Set the provider's API key "
                        "(e.g. OPENAI_API_KEY) or pass api_key=...; stopping, since no call can succeed."
                    ) from None
                if not is_retriable(error):
                    break
        raise LanguageModelError(
            f"{self.model}: the call failed after {attempt + 1} tries: {type(last_error).__name__}: "
            f"{self.redact_error(last_error)[:1000]}"
        ) from None

    async def _complete(self, messages, schema, tools=None, tool_choice=None, **generation_kwargs):
        """Makes one call and returns the raw reply (a litellm-style response)."""
        if self.is_local:
            if tools:
                turn = fallback_schema(tools, tool_choice)
                reply = await self._complete_locally(fallback_messages(messages, tools), turn, **generation_kwargs)
                return {**reply, "choices": fallback_reply(parse_json_reply(reply_content(reply)))["choices"]}
            return await self._complete_locally(messages, schema, **generation_kwargs)
        import litellm

        litellm.suppress_debug_info = (
            True  # its "Give Feedback" banner after each failed call, at scale, buries the error
        )
        kwargs = self.litellm_kwargs(generation_kwargs)
        litellm_model = self._litellm_model()
        if self._structured_output_mode is None:  # decided once: asking litellm is slow
            auto = self.structured_output == "auto"
            self._structured_output_mode = choose_mode(litellm_model) if auto else self.structured_output
        kwargs.update(request_arguments(schema, self._structured_output_mode))
        if tools:
            kwargs["tools"] = tools
            if tool_choice is not None:
                kwargs["tool_choice"] = tool_choice
        return await litellm.acompletion(model=litellm_model, messages=messages, **kwargs)

    async def _complete_locally(self, messages, schema, **generation_kwargs):
        from synalinks.language_models.embedded_llama import EmbeddedLlama

        kwargs = {"temperature": 0.0, **generation_kwargs}
        llama = await asyncio.to_thread(EmbeddedLlama.get, self.model[len(LOCAL_PREFIX) :])
        return await asyncio.to_thread(llama.chat, messages, schema, **kwargs)
