"""`LanguageModelStreaming`: a chat reply streamed piece by piece, retried until it opens, kept to the
budgets, priced from the provider's usage chunk and traced as one span."""

import asyncio
import time

from synalinks.hooks.span import current_span
from synalinks.hooks.traced_call import begin_span, end_span
from synalinks.language_models.call_budget import BudgetExceededError, active_call_budget, settle_all
from synalinks.language_models.language_model_errors import LanguageModelError
from synalinks.language_models.reply_parsing import reply_content
from synalinks.language_models.retries import backoff_delay, is_access_error, is_retriable
from synalinks.utils.reply_fields import field_of


class LanguageModelStreaming:
    """The streaming half of `LanguageModel` (a mixin: it uses the model's retries, budgets, usage and
    transport)."""

    async def _traced_stream(self, hooks, messages, generation_kwargs):
        """`_stream` as one span: it starts when the first piece is asked for and ends with the text
        streamed (all of it, or what the consumer took before it stopped) or the error."""
        span = begin_span(hooks, self, "language_model", messages, {"streaming": True, **generation_kwargs})
        pieces = []
        try:
            async for piece in self._stream(messages, generation_kwargs, span):
                pieces.append(piece)
                yield piece
        except GeneratorExit:  # the consumer stopped early: what it took is the output
            end_span(hooks, span, outputs={"role": "assistant", "content": "".join(pieces)})
            raise
        except BaseException as error:
            end_span(hooks, span, error=error)
            raise
        end_span(hooks, span, outputs={"role": "assistant", "content": "".join(pieces)})

    async def _stream(self, messages, generation_kwargs, span=None):
        """The reply's text, piece by piece. The request is retried until the stream opens; a stream
        that breaks after that raises `LanguageModelError` (the pieces already given stay given).

        Budgets hold as for other calls: each try reserves its call (refused,
        nothing is sent) and is settled when the stream ends, at the price the
        provider's usage chunk gives (asked for where litellm says the provider
        sends one; else the reserved price stands)."""
        last_error = None
        fit_budget = active_call_budget()
        for attempt in range(self.max_retries + 1):
            if attempt:
                await asyncio.sleep(backoff_delay(attempt, self.retry_delay, last_error, self.retry_max_wait))
            reservations = ()
            if fit_budget is not None or self._budget is not None:
                reservations = await self._reserve_budgets(fit_budget, messages)
            try:
                self.usage.calls += 1
                start = time.monotonic()
                if self.is_local:  # the embedded model answers in one piece
                    cost = None
                    try:
                        reply = await self._complete_locally(messages, None, **generation_kwargs)
                        cost = self._record_reply(reply, time.monotonic() - start, span)
                    finally:
                        settle_all(reservations, cost)
                    yield reply_content(reply)
                    return
                stream = await self._open_stream(messages, generation_kwargs)
                break
            except (asyncio.CancelledError, BudgetExceededError):
                settle_all(reservations, None)
                raise
            except Exception as error:
                settle_all(reservations, None)
                self.usage.failures += 1
                last_error = error
                if is_access_error(error) or not is_retriable(error):
                    break
        else:
            stream = None
        if stream is None:
            raise LanguageModelError(
                f"{self.model}: the stream did not open: {type(last_error).__name__}: {self.redact_error(last_error)[:500]}"
            ) from None
        usage_chunk = None
        try:
            async for chunk in stream:
                if field_of(chunk, "usage"):
                    usage_chunk = chunk
                choices = field_of(chunk, "choices")
                if not choices:
                    continue
                delta = field_of(choices[0], "delta")
                piece = field_of(delta, "content")
                if piece:
                    yield piece
        except Exception as error:
            self.usage.failures += 1
            raise LanguageModelError(
                f"{self.model}: the stream broke: {type(error).__name__}: {self.redact_error(error)[:500]}"
            ) from None
        finally:
            cost = self._stream_cost(usage_chunk, time.monotonic() - start, span)
            settle_all(reservations, cost)

    def _stream_cost(self, usage_chunk, latency, span=None):
        """Counts a finished stream in `usage` and in its span (its tokens when the provider sent them)
        and returns its price, or None when it is not known (then a budget keeps what the call reserved)."""
        prompt_tokens, completion_tokens, cost = self.usage.record_reply(usage_chunk, latency)
        if usage_chunk is None:
            cost = None
        elif not cost and (prompt_tokens or completion_tokens):  # tokens but no price: litellm's price list
            try:
                import litellm

                cost = sum(litellm.cost_per_token(self._litellm_model(), prompt_tokens, completion_tokens))
                self.usage.cost += cost
            except Exception:  # a model missing from litellm's price list: its price is unknown
                cost = None
        span = span or current_span()
        if span is not None:
            span.add_usage(prompt_tokens, completion_tokens, cost or 0.0)
        return cost

    async def _open_stream(self, messages, generation_kwargs):
        import litellm

        kwargs = self.litellm_kwargs(generation_kwargs)
        if sends_stream_usage(self._litellm_model()):
            kwargs.setdefault("stream_options", {"include_usage": True})  # the tokens, so the price, of the stream
        return await litellm.acompletion(model=self._litellm_model(), messages=messages, stream=True, **kwargs)


def sends_stream_usage(model):
    """Whether litellm passes `stream_options` (usage in the last chunk) to `model`'s provider."""
    import litellm

    provider, _, name = model.partition("/")
    try:
        return "stream_options" in (litellm.get_supported_openai_params(model=name, custom_llm_provider=provider) or [])
    except Exception:  # a provider litellm cannot tell about: ask for nothing it might refuse
        return False
