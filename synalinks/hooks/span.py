"""`Span`: one module call or language model call, as hooks and trace exporters see it."""

import contextvars
import os
import time

_current_span = contextvars.ContextVar("synalinks_span", default=None)


def current_span():
    """The `Span` of the call running in this task, or None when no hook is attached.

    Inside a hook's `on_call_begin` / `on_call_end` it is the span of that call.

    Example:

    ```python
    class CostPrinter(synalinks.hooks.Hook):
        def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
            span = synalinks.hooks.current_span()
            print(span.name, span.latency, span.cost)
    ```
    """
    return _current_span.get()


TRACED_TEXT_CHARS = 10_000  # characters of one text a trace keeps
TRACED_ITEMS = 1_000  # items of one list a trace keeps


def _bounded_text(text):
    if len(text) <= TRACED_TEXT_CHARS:
        return text
    return text[:TRACED_TEXT_CHARS] + f"... [cut for the trace: {len(text)} characters in all]"


def to_jsonable(value):
    """`value` as plain JSON, bounded: data models as their JSON, containers walked, anything else as its
    `repr`; a text past 10,000 characters or a list past 1,000 items is cut, saying how long it was
    (a trace summarises large values, it does not copy them)."""
    if value is None or isinstance(value, (int, float, bool)):
        return value
    if isinstance(value, str):
        return _bounded_text(value)
    if isinstance(value, dict):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        items = [to_jsonable(item) for item in value[:TRACED_ITEMS]]
        if len(value) > TRACED_ITEMS:
            items.append(f"... [cut for the trace: {len(value)} items in all]")
        return items
    get_json = getattr(value, "get_json", None)
    if callable(get_json):
        return to_jsonable(get_json())
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):
        return to_jsonable(model_dump(mode="json"))
    return _bounded_text(repr(value))


class Span:
    """One call: who ran, with what, what came out, how long it took and what it cost.

    The calls made for one sample share a `trace_id`; a call made inside
    another has it as its parent, so a program's trace nests
    program -> modules -> language model calls. Tokens and cost are those of
    the language model calls made inside the span (its own for an LM call).

    Attributes:
        trace_id: 32 hex digits, the same for every call of one sample.
        call_id: 16 hex digits, this call's id.
        parent_call_id: The enclosing call's id, or None for the trace's root.
        name: The module's or language model's name.
        kind: "module" or "language_model".
        owner_class: The class name of the module or model (`Generator`, `LanguageModel`).
        inputs, outputs: What went in and came out (None on failure).
        error: The exception, or None.
        start_time, end_time: Seconds since the epoch.
        latency: Seconds the call took.
        prompt_tokens, completion_tokens, cost, calls, cache_hits: The LM usage inside the call.
    """

    __slots__ = (
        "trace_id",
        "call_id",
        "parent_call_id",
        "parent",
        "name",
        "kind",
        "owner",
        "inputs",
        "kwargs",
        "outputs",
        "error",
        "start_time",
        "end_time",
        "latency",
        "prompt_tokens",
        "completion_tokens",
        "cost",
        "calls",
        "cache_hits",
        "_started",
    )

    def __init__(self, name, kind, owner=None, inputs=None, kwargs=None, parent=None):
        self.parent = parent
        self.trace_id = parent.trace_id if parent is not None else os.urandom(16).hex()
        self.call_id = os.urandom(8).hex()
        self.parent_call_id = parent.call_id if parent is not None else None
        self.name = name
        self.kind = kind
        self.owner = owner
        self.inputs = inputs
        self.kwargs = kwargs or {}
        self.outputs = None
        self.error = None
        self.start_time = time.time()
        self._started = time.perf_counter()
        self.end_time = None
        self.latency = None
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.cost = 0.0
        self.calls = 0
        self.cache_hits = 0

    @property
    def owner_class(self):
        return type(self.owner).__name__ if self.owner is not None else None

    @property
    def error_text(self):
        """The error as "Type: message", or None."""
        return _bounded_text(f"{type(self.error).__name__}: {self.error}") if self.error is not None else None

    def add_usage(self, prompt_tokens=0, completion_tokens=0, cost=0.0, calls=1, cache_hits=0):
        """Counts a language model reply made inside this call."""
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens
        self.cost += cost
        self.calls += calls
        self.cache_hits += cache_hits

    def finish(self, outputs=None, error=None):
        """Ends the span and adds its usage to its parent's."""
        self.latency = time.perf_counter() - self._started
        self.end_time = self.start_time + self.latency
        self.outputs = outputs
        self.error = error
        if self.parent is not None:
            self.parent.add_usage(self.prompt_tokens, self.completion_tokens, self.cost, self.calls, self.cache_hits)

    def as_dict(self):
        """The span as plain JSON (what `Recorder` writes)."""
        return {
            "trace_id": self.trace_id,
            "call_id": self.call_id,
            "parent_call_id": self.parent_call_id,
            "name": self.name,
            "kind": self.kind,
            "class": self.owner_class,
            "inputs": to_jsonable(self.inputs),
            "outputs": to_jsonable(self.outputs),
            "error": self.error_text,
            "start_time": self.start_time,
            "end_time": self.end_time,
            "latency": self.latency,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost": self.cost,
            "calls": self.calls,
            "cache_hits": self.cache_hits,
        }

    def __repr__(self):
        return f"<Span {self.kind} {self.name!r} call_id={self.call_id} parent={self.parent_call_id}>"
