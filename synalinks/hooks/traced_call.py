"""`run_with_hooks`: runs one module or language model call inside its `Span`, calling the hooks around it."""

from synalinks.hooks.global_hooks import GLOBAL_HOOKS
from synalinks.hooks.hook_list import call_hook
from synalinks.hooks.span import Span, _current_span


def active_hooks(own_hooks):
    """The hooks to call for a call of an object with `own_hooks`, or None when there are none (the fast path)."""
    if not GLOBAL_HOOKS.hooks:
        return own_hooks.hooks if own_hooks else None
    if not own_hooks:
        return GLOBAL_HOOKS.hooks
    return [*own_hooks.hooks, *GLOBAL_HOOKS.hooks]


async def run_with_hooks(hooks, owner, kind, inputs, kwargs, awaitable):
    """Awaits `awaitable` as one call of `owner` (a module or a language model) and returns its result.

    The call gets a `Span` (a child of the running one), made current while it
    runs; each hook's `on_call_begin` is called before, `on_call_end` after
    (also when it raises: the error is in the span and goes on up).
    """
    span = Span(owner.name, kind, owner, inputs, kwargs, parent=_current_span.get())
    token = _current_span.set(span)
    try:
        _notify(hooks, "on_call_begin", span, inputs, kwargs)
        try:
            outputs = await awaitable
        except BaseException as error:
            span.finish(error=error)
            _notify(hooks, "on_call_end", span, None, span.error_text)
            raise
        span.finish(outputs=outputs)
        _notify(hooks, "on_call_end", span, outputs, None)
        return outputs
    finally:
        _current_span.reset(token)


def begin_span(hooks, owner, kind, inputs, kwargs):
    """Starts the span of a call that is not one awaitable (a stream, which runs in its consumer's turns):
    a child of the running span, never made current itself; the hooks' `on_call_begin` is called."""
    span = Span(owner.name, kind, owner, inputs, kwargs, parent=_current_span.get())
    _notify_as_current(hooks, "on_call_begin", span, inputs, kwargs)
    return span


def end_span(hooks, span, outputs=None, error=None):
    """Ends a span from `begin_span`; the hooks' `on_call_end` is called."""
    span.finish(outputs=outputs, error=error)
    _notify_as_current(hooks, "on_call_end", span, outputs if error is None else None, span.error_text)


def _notify_as_current(hooks, event, span, value, extra):
    token = _current_span.set(span)  # hooks find the span with current_span()
    try:
        _notify(hooks, event, span, value, extra)
    finally:
        _current_span.reset(token)


def _notify(hooks, event, span, value, extra):
    for hook in hooks:
        call_hook(hook, event, span.call_id, span.parent_call_id, value, extra)
