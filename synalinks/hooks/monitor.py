"""`Monitor`: sends every trace to MLflow tracing, where its UI shows the nested calls."""

import json

from synalinks.hooks.span import to_jsonable
from synalinks.hooks.span_kinds import span_kind
from synalinks.hooks.trace_exporter import TraceExporter

DEFAULT_EXPERIMENT_NAME = "synalinks_traces"


class Monitor(TraceExporter):
    """Logs each trace to MLflow tracing: one span per module and language model call, nested as they ran.

    Each span has its inputs, outputs, latency and status; language model
    spans carry their token usage (MLflow adds it up per trace) and every span
    its cost (`synalinks.cost`). Needs the `mlflow` extra. Traces are sent
    in the background by MLflow; `flush()` waits for them.

    `synalinks.enable_observability(...)` attaches one to every call.

    Args:
        tracking_uri: Where MLflow keeps traces: `sqlite:///mlflow.db`, a server
            URL (`http://localhost:5000`), or a `file:` folder (MLflow then
            needs `MLFLOW_ALLOW_FILE_STORE=true`). Default: MLflow's own.
        experiment_name: The experiment the traces go to (default "synalinks_traces").

    Example:

    ```python
    monitor = synalinks.hooks.Monitor(tracking_uri="http://localhost:5000", experiment_name="qa")
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini", hooks=[monitor])
    ```
    """

    def __init__(self, tracking_uri=None, experiment_name=None):
        super().__init__()
        self.tracking_uri = tracking_uri
        self.experiment_name = experiment_name or DEFAULT_EXPERIMENT_NAME
        self._mlflow = None
        self._experiment_id = None

    def _setup(self):
        try:
            import mlflow
        except ImportError as error:
            raise ImportError(
                'The Monitor hook needs MLflow: pip install "synalinks[mlflow]" (or mlflow-skinny).'
            ) from error
        if self.tracking_uri:
            mlflow.set_tracking_uri(self.tracking_uri)
        client = mlflow.MlflowClient()
        experiment = client.get_experiment_by_name(self.experiment_name)
        self._experiment_id = (
            experiment.experiment_id if experiment is not None else client.create_experiment(self.experiment_name)
        )
        self._mlflow = mlflow

    def export_trace(self, spans):
        if self._mlflow is None:
            self._setup()
        live_spans = {}
        for span in sorted(spans, key=lambda span: span.start_time):
            parent = live_spans.get(span.parent_call_id)
            live_spans[span.call_id] = self._mlflow.start_span_no_context(
                name=span.name,
                span_type=span_kind(span),
                parent_span=parent,
                inputs=_mlflow_value(span.inputs),
                attributes={"synalinks.class": span.owner_class, "synalinks.trace_id": span.trace_id},
                experiment_id=self._experiment_id if parent is None else None,
                start_time_ns=int(span.start_time * 1e9),
            )
        for span in spans:  # in the order they ended: children before their parent, the root last
            live = live_spans[span.call_id]
            attributes = {"synalinks.cost": span.cost, "synalinks.lm_calls": span.calls}
            if span.kind == "language_model":
                attributes["mlflow.chat.tokenUsage"] = {
                    "input_tokens": span.prompt_tokens,
                    "output_tokens": span.completion_tokens,
                    "total_tokens": span.prompt_tokens + span.completion_tokens,
                }
            if span.error is not None:
                live.record_exception(span.error)
            live.end(
                outputs=_mlflow_value(span.outputs),
                attributes=attributes,
                status="ERROR" if span.error is not None else "OK",
                end_time_ns=int(span.end_time * 1e9),
            )

    def flush(self):
        """Waits until MLflow has written every trace handed to it."""
        if self._mlflow is not None:
            self._mlflow.flush_trace_async_logging()


def _mlflow_value(value):
    value = to_jsonable(value)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # a module's single input reads better unwrapped
    return value if isinstance(value, dict) else {"value": json.loads(json.dumps(value, default=repr))}
