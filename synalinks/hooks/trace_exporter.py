"""`TraceExporter`: a hook that hands over each trace whole, once its outermost call has ended."""

from synalinks.hooks.hook import Hook
from synalinks.hooks.span import current_span


class TraceExporter(Hook):
    """Gathers the spans of each trace and calls `export_trace(spans)` when the outermost call it saw ends.

    Attached globally, a trace is one sample's program call with everything
    inside it; attached to one module or language model, it is that call.
    Subclasses implement `export_trace`: `Recorder` (a JSON Lines file),
    `Monitor` (MLflow tracing), `OpenTelemetryExporter` (OTLP).

    Example:

    ```python
    class PrintTraces(synalinks.hooks.TraceExporter):
        def export_trace(self, spans):
            print(len(spans), "calls, cost", spans[-1].cost)
    ```
    """

    def __init__(self):
        super().__init__()
        self._open_traces = {}  # trace_id -> (the outermost call_id seen, the spans ended so far)

    def on_call_begin(self, call_id, parent_call_id=None, inputs=None, kwargs=None):
        span = current_span()
        if span is not None and span.trace_id not in self._open_traces:
            self._open_traces[span.trace_id] = (call_id, [])

    def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
        span = current_span()
        if span is None:
            return
        entry = self._open_traces.get(span.trace_id)
        if entry is None:
            return
        outermost_call_id, spans = entry
        spans.append(span)
        if call_id == outermost_call_id:
            del self._open_traces[span.trace_id]
            self.export_trace(spans)

    def export_trace(self, spans):
        """Receives one trace's spans, in the order they ended (the outermost last)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `export_trace(self, spans)`.")


def trace_summary(spans):
    """One trace as plain JSON: the outermost call's totals and every span, in start order."""
    root = spans[-1]
    return {
        "trace_id": root.trace_id,
        "name": root.name,
        "start_time": root.start_time,
        "latency": root.latency,
        "prompt_tokens": root.prompt_tokens,
        "completion_tokens": root.completion_tokens,
        "cost": root.cost,
        "calls": root.calls,
        "error": root.error_text,
        "spans": [span.as_dict() for span in sorted(spans, key=lambda span: span.start_time)],
    }
