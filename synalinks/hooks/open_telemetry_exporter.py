"""`OpenTelemetryExporter`: sends every trace over OTLP, for Jaeger, Phoenix, Langfuse and the like."""

import json

from synalinks.hooks.span import to_jsonable
from synalinks.hooks.span_kinds import span_kind
from synalinks.hooks.trace_exporter import TraceExporter


class OpenTelemetryExporter(TraceExporter):
    """Exports each trace as OpenTelemetry spans, nested as the calls ran.

    Spans carry the GenAI semantic conventions (`gen_ai.request.model`,
    `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`) and the
    OpenInference ones (`openinference.span.kind`, `input.value`,
    `output.value`) that Phoenix and Langfuse read, plus `synalinks.cost`.
    Needs the `otel` extra. The exporter has its own tracer provider, so it
    does not change the process' global OpenTelemetry setup.

    Args:
        endpoint: The OTLP/HTTP traces endpoint (default: the
            `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_ENDPOINT`
            environment, else `http://localhost:4318/v1/traces`).
        headers: HTTP headers sent with each export (e.g. an API key).
        service_name: The `service.name` of the spans (default "synalinks").
        span_exporter: Any OpenTelemetry `SpanExporter` to use instead of OTLP/HTTP.

    Example:

    ```python
    exporter = synalinks.hooks.OpenTelemetryExporter(endpoint="http://localhost:4318/v1/traces")
    synalinks.hooks.add_global_hook(exporter)
    ```
    """

    def __init__(self, endpoint=None, headers=None, service_name="synalinks", span_exporter=None):
        super().__init__()
        try:
            from opentelemetry.sdk.resources import Resource
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import BatchSpanProcessor
        except ImportError as error:
            raise ImportError('OpenTelemetryExporter needs OpenTelemetry: pip install "synalinks[otel]".') from error
        if span_exporter is None:
            try:
                from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            except ImportError as error:
                raise ImportError(
                    'OpenTelemetryExporter needs the OTLP exporter: pip install "synalinks[otel]".'
                ) from error
            span_exporter = OTLPSpanExporter(endpoint=endpoint, headers=headers)
        self.endpoint = endpoint
        self.service_name = service_name
        self._provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
        self._provider.add_span_processor(BatchSpanProcessor(span_exporter))
        self._tracer = self._provider.get_tracer("synalinks")

    def export_trace(self, spans):
        from opentelemetry import trace
        from opentelemetry.trace import Status, StatusCode

        started = {}
        for span in sorted(spans, key=lambda span: span.start_time):
            parent = started.get(span.parent_call_id)
            context = trace.set_span_in_context(parent) if parent is not None else None
            started[span.call_id] = self._tracer.start_span(
                span.name,
                context=context,
                start_time=int(span.start_time * 1e9),
                attributes=_attributes(span),
            )
        for span in spans:  # children end before their parent
            otel_span = started[span.call_id]
            otel_span.set_attribute("output.value", json.dumps(to_jsonable(span.outputs), default=repr))
            otel_span.set_attribute("synalinks.cost", span.cost)
            otel_span.set_attribute("gen_ai.usage.input_tokens", span.prompt_tokens)
            otel_span.set_attribute("gen_ai.usage.output_tokens", span.completion_tokens)
            if span.error is not None:
                otel_span.record_exception(span.error)
                otel_span.set_status(Status(StatusCode.ERROR, span.error_text))
            otel_span.end(end_time=int(span.end_time * 1e9))

    def flush(self, timeout_millis=30000):
        """Sends the spans still queued; True when they all went."""
        return self._provider.force_flush(timeout_millis)

    def shutdown(self):
        """Flushes and stops the exporter."""
        self._provider.shutdown()


def _attributes(span):
    attributes = {
        "openinference.span.kind": span_kind(span),
        "input.value": json.dumps(to_jsonable(span.inputs), default=repr),
        "synalinks.class": span.owner_class or "",
        "synalinks.trace_id": span.trace_id,
        "synalinks.call_id": span.call_id,
    }
    if span.kind == "language_model":
        attributes["gen_ai.request.model"] = getattr(span.owner, "model", span.name)
    return attributes
