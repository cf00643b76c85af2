"""Hooks and traces: one sample's calls form one nested trace with per-call tokens and cost; hooks see
errors; a raising hook breaks nothing; MLflow tracing and OTLP receive the spans."""

import asyncio
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query


class Draft(synalinks.DataModel):
    draft: str


@pytest.fixture(autouse=True)
def no_global_hooks_left():
    synalinks.hooks.clear_global_hooks()
    yield
    synalinks.hooks.clear_global_hooks()


def two_module_program(second_fails=False):
    """query -> drafter (model "small") -> answerer (model "big"): two modules, two language models."""
    small = ScriptedLanguageModel(name="small", replies=[{"draft": "about four"}], cost_per_token=0.001)

    def answer(messages, schema, index):
        if second_fails:
            return ConnectionRefusedError("the big model is down")
        return {"answer": "4 " + json.loads(messages[-1]["content"])["draft"][:5]}

    big = ScriptedLanguageModel(name="big", reply_function=answer, cost_per_token=0.01)
    inputs = synalinks.Input(data_model=Query)
    draft = asyncio.run(synalinks.Generator(data_model=Draft, language_model=small, name="drafter")(inputs))
    outputs = asyncio.run(synalinks.Generator(data_model=Answer, language_model=big, name="answerer")(draft))
    return synalinks.Program(inputs=inputs, outputs=outputs, name="qa"), small, big


def read_traces(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def test_a_two_module_program_gives_one_nested_trace_with_per_call_tokens_and_cost(tmp_path):
    program, small, big = two_module_program()
    synalinks.record_traces(base_dir=tmp_path)
    asyncio.run(program(Query(query="2+2?")))
    [trace] = read_traces(tmp_path / "qa.jsonl")
    spans = {span["name"]: span for span in trace["spans"]}
    assert set(spans) == {"qa", "drafter", "answerer", "scripted/small", "scripted/big"}
    assert {span["trace_id"] for span in spans.values()} == {trace["trace_id"]}
    assert spans["qa"]["parent_call_id"] is None and trace["name"] == "qa"
    assert spans["drafter"]["parent_call_id"] == spans["qa"]["call_id"]
    assert spans["answerer"]["parent_call_id"] == spans["qa"]["call_id"]
    assert spans["scripted/small"]["parent_call_id"] == spans["drafter"]["call_id"]
    assert spans["scripted/big"]["parent_call_id"] == spans["answerer"]["call_id"]
    assert spans["scripted/big"]["kind"] == "language_model" and spans["answerer"]["class"] == "Generator"
    # Each LM call's tokens and cost are its own reply's; a module's are its LM's; the root's the sum.
    for name, model in (("scripted/small", small), ("scripted/big", big)):
        assert spans[name]["calls"] == 1
        assert spans[name]["prompt_tokens"] == model.usage.prompt_tokens > 0
        assert spans[name]["completion_tokens"] == model.usage.completion_tokens > 0
        assert spans[name]["cost"] == pytest.approx(model.usage.cost) and model.usage.cost > 0
    assert spans["answerer"]["cost"] == pytest.approx(big.usage.cost)
    assert trace["cost"] == pytest.approx(small.usage.cost + big.usage.cost)
    assert trace["prompt_tokens"] == small.usage.prompt_tokens + big.usage.prompt_tokens
    assert spans["scripted/big"]["outputs"] == {"answer": "4 about"}
    assert spans["answerer"]["inputs"] == {"draft": "about four"}
    assert spans["drafter"]["start_time"] <= spans["scripted/small"]["start_time"]
    assert spans["qa"]["latency"] >= spans["answerer"]["latency"] >= spans["scripted/big"]["latency"] >= 0


def test_concurrent_samples_each_get_their_own_trace(tmp_path):
    program, _, _ = two_module_program()
    program.compile(reward=synalinks.rewards.ExactMatch())
    synalinks.record_traces(base_dir=tmp_path)
    program.predict([Query(query=f"q{i}") for i in range(20)], batch_size=20, verbose=0)
    traces = read_traces(tmp_path / "qa.jsonl")
    assert len(traces) == 20 and len({trace["trace_id"] for trace in traces}) == 20
    queries = set()
    for trace in traces:
        by_id = {span["call_id"]: span for span in trace["spans"]}
        assert len(by_id) == 5
        for span in trace["spans"]:
            assert span["trace_id"] == trace["trace_id"]
            assert span["parent_call_id"] is None or span["parent_call_id"] in by_id, "parents in the same trace"
        drafter = next(span for span in trace["spans"] if span["name"] == "drafter")
        small_call = next(span for span in trace["spans"] if span["name"] == "scripted/small")
        assert small_call["parent_call_id"] == drafter["call_id"]
        assert drafter["inputs"]["query"] in small_call["inputs"][-1]["content"], "the sample's own prompt"
        queries.add(drafter["inputs"]["query"])
    assert queries == {f"q{i}" for i in range(20)}


def test_hooks_see_errors_and_a_raising_hook_breaks_nothing(caplog):
    program, _, _ = two_module_program(second_fails=True)
    ended = []

    class Watcher(synalinks.hooks.Hook):
        def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
            span = synalinks.hooks.current_span()
            ended.append((span.name, exception, span.error))

    class Broken(synalinks.hooks.Hook):
        def on_call_begin(self, call_id, parent_call_id=None, inputs=None, kwargs=None):
            raise ValueError("bug in a hook")

    synalinks.hooks.add_global_hook(Broken())
    synalinks.hooks.add_global_hook(Watcher())
    with caplog.at_level(logging.WARNING, logger="synalinks"):
        for _ in range(3):
            result = asyncio.run(program(Query(query="2+2?")))
    assert result is None, "the answerer failed, so the program has no output"
    failed = {name: (exception, error) for name, exception, error in ended if exception is not None}
    assert "scripted/big" in failed, ended
    assert "LanguageModelError" in failed["scripted/big"][0] and "the big model is down" in failed["scripted/big"][0]
    assert type(failed["scripted/big"][1]).__name__ == "LanguageModelError"
    assert ("scripted/small", None, None) in ended, "the calls that worked end without error"
    hook_lines = [record.getMessage() for record in caplog.records if "bug in a hook" in record.getMessage()]
    assert len(hook_lines) == 1, "a failing hook is logged once, not at each of its 15 calls"


def test_a_hook_on_one_module_sees_only_that_module():
    program, _, _ = two_module_program()
    names = []

    class Names(synalinks.hooks.Hook):
        def on_call_begin(self, call_id, parent_call_id=None, inputs=None, kwargs=None):
            names.append((self.module.name, synalinks.hooks.current_span().name))

    program.get_module("answerer").add_hook(Names())
    asyncio.run(program(Query(query="2+2?")))
    assert names == [("answerer", "answerer")]


def test_the_logger_hook_writes_a_line_per_call_start_and_end(caplog):
    program, _, _ = two_module_program()
    synalinks.enable_logging(log_level="debug")
    try:
        with caplog.at_level(logging.DEBUG, logger="synalinks.hooks"):
            asyncio.run(program(Query(query="2+2?")))
    finally:
        synalinks.enable_logging(log_level="warning")
    lines = [record.getMessage() for record in caplog.records if record.name == "synalinks.hooks"]
    assert len(lines) == 10, lines
    assert any(line.startswith("language_model scripted/big ended in") and "tokens" in line for line in lines)
    assert not synalinks.hooks.global_hooks(), "back at warning, the Logger hook is gone"


def test_mlflow_tracing_to_a_local_file_store_receives_the_nested_spans(tmp_path, monkeypatch):
    mlflow = pytest.importorskip("mlflow")
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    program, small, big = two_module_program()
    monitor = synalinks.enable_observability(tracking_uri=(tmp_path / "mlruns").as_uri(), experiment_name="qa")
    asyncio.run(program(Query(query="2+2?")))
    monitor.flush()
    client = mlflow.MlflowClient()
    experiment = client.get_experiment_by_name("qa")
    [trace] = client.search_traces(locations=[experiment.experiment_id])
    spans = {span.name: span for span in trace.data.spans}
    assert set(spans) == {"qa", "drafter", "answerer", "scripted/small", "scripted/big"}
    assert spans["qa"].parent_id is None
    assert spans["drafter"].parent_id == spans["qa"].span_id
    assert spans["scripted/big"].parent_id == spans["answerer"].span_id
    assert spans["scripted/big"].span_type == "LLM" and spans["answerer"].span_type == "CHAIN"
    assert spans["scripted/big"].outputs == {"answer": "4 about"}
    tokens = small.usage.prompt_tokens + small.usage.completion_tokens + big.usage.prompt_tokens
    assert trace.info.token_usage["total_tokens"] == tokens + big.usage.completion_tokens
    assert spans["qa"].attributes["synalinks.cost"] == pytest.approx(small.usage.cost + big.usage.cost)


class OTLPCollector(BaseHTTPRequestHandler):
    """An OTLP/HTTP collector on 127.0.0.1 that keeps the spans it receives."""

    received = []

    def do_POST(self):
        from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

        request = ExportTraceServiceRequest()
        request.ParseFromString(self.rfile.read(int(self.headers["Content-Length"])))
        for resource_spans in request.resource_spans:
            service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}["service.name"]
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    self.received.append((service, span, self.path))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_otlp_export_reaches_an_in_process_collector():
    pytest.importorskip("opentelemetry.exporter.otlp.proto.http")
    server = HTTPServer(("127.0.0.1", 0), OTLPCollector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    OTLPCollector.received = []
    try:
        exporter = synalinks.hooks.OpenTelemetryExporter(
            endpoint=f"http://127.0.0.1:{server.server_port}/v1/traces", service_name="qa-service"
        )
        synalinks.hooks.add_global_hook(exporter)
        program, small, big = two_module_program()
        asyncio.run(program(Query(query="2+2?")))
        assert exporter.flush()
        exporter.shutdown()
    finally:
        server.shutdown()
    spans = {span.name: span for _, span, _ in OTLPCollector.received}
    assert {service for service, _, _ in OTLPCollector.received} == {"qa-service"}
    assert {path for _, _, path in OTLPCollector.received} == {"/v1/traces"}
    assert set(spans) == {"qa", "drafter", "answerer", "scripted/small", "scripted/big"}
    assert len({span.trace_id for span in spans.values()}) == 1
    assert spans["qa"].parent_span_id == b""
    assert spans["answerer"].parent_span_id == spans["qa"].span_id
    assert spans["scripted/big"].parent_span_id == spans["answerer"].span_id
    attributes = {a.key: a.value for a in spans["scripted/big"].attributes}
    assert attributes["gen_ai.usage.input_tokens"].int_value == big.usage.prompt_tokens
    assert attributes["gen_ai.usage.output_tokens"].int_value == big.usage.completion_tokens
    assert attributes["openinference.span.kind"].string_value == "LLM"
    assert attributes["synalinks.cost"].double_value == pytest.approx(big.usage.cost)
    assert json.loads(attributes["output.value"].string_value) == {"answer": "4 about"}


def test_synalinks_traces_show_prints_each_sample_as_a_tree_of_calls(tmp_path, capsys):
    from synalinks.cli.main import main

    synalinks.record_traces(base_dir=tmp_path)
    program, _, _ = two_module_program()
    asyncio.run(program(Query(query="2+2?")))
    failing, _, _ = two_module_program(second_fails=True)
    asyncio.run(failing(Query(query="3+3?")))
    with open(tmp_path / "qa.jsonl", "a", encoding="utf-8") as file:
        file.write('{"trace_id": "cut')  # a line cut by a crash
    synalinks.record_traces(base_dir=tmp_path)  # as a new process would after the crash
    asyncio.run(program(Query(query="4+4?")))  # its trace goes on a line of its own
    lines = []
    assert main(["traces", "show", str(tmp_path)], out=lines.append) == 0
    text = "\n".join(lines)
    assert text.count("trace ") == 3 and "(1 line(s) that are not traces skipped)" in text
    first = lines.index(next(line for line in lines if line.startswith("- qa")))
    assert lines[first + 2].startswith("  - drafter (Generator)") and "1 LM calls" in lines[first + 2]
    assert lines[first + 4].startswith("    - scripted/small (ScriptedLanguageModel)")
    assert '    out: {"answer": "4 about"}' in text
    assert "error: LanguageModelError: scripted/big" in text
    trace_id = lines[0].split()[1]
    lines.clear()
    assert main(["traces", "show", str(tmp_path), "--trace", trace_id[:8]], out=lines.append) == 0
    assert sum(line.startswith("trace ") for line in lines) == 1 and trace_id in lines[0]
    assert main(["traces", "show", str(tmp_path / "missing")], out=lines.append) == 2
    assert "No trace file or folder" in capsys.readouterr().err


def costly_embeddings(log, cost=0.001):
    """Stands in for `litellm.aembedding`: 2-d vectors, 5 tokens and `cost` USD per request."""

    async def aembedding(model, input, **kwargs):
        log.append(list(input))
        await asyncio.sleep(0.001)
        data = [{"index": i, "embedding": [float(len(text)), 1.0]} for i, text in enumerate(input)]
        return {"data": data, "usage": {"prompt_tokens": 5}, "cost": cost}

    return aembedding


def test_an_embedding_call_is_a_span_with_its_tokens_and_cost_not_its_vectors(tmp_path, monkeypatch):
    import litellm

    log = []
    monkeypatch.setattr(litellm, "aembedding", costly_embeddings(log, cost=0.002))
    embedding_model = synalinks.EmbeddingModel(model="openai/text-embedding-3-small")
    inputs = synalinks.Input(data_model=Query)
    embedded = asyncio.run(synalinks.EmbedKnowledge(embedding_model=embedding_model, name="embedder")(inputs))
    program = synalinks.Program(inputs=inputs, outputs=embedded, name="embed")
    synalinks.record_traces(base_dir=tmp_path)
    output = asyncio.run(program(Query(query="what is a span?")))
    assert output.get_json()["embedding"] == [15.0, 1.0] and log == [["what is a span?"]]
    [trace] = read_traces(tmp_path / "embed.jsonl")
    spans = {span["name"]: span for span in trace["spans"]}
    span = spans["openai/text-embedding-3-small"]
    assert span["kind"] == "embedding_model" and span["parent_call_id"] == spans["embedder"]["call_id"]
    assert span["inputs"] == {"count": 1, "texts": ["what is a span?"]}
    assert span["outputs"] == {"vectors": 1, "dimension": 2}, "a summary, not the vectors"
    assert span["prompt_tokens"] == 5 and span["cost"] == pytest.approx(0.002) and span["calls"] == 1
    assert trace["cost"] == pytest.approx(0.002) == embedding_model.usage.cost


def test_a_streamed_reply_is_one_span_with_its_text_tokens_and_cost(tmp_path, monkeypatch):
    import litellm

    async def acompletion(model, messages, stream=False, **kwargs):
        async def chunks():
            for piece in ("Hel", "lo ", "there"):
                yield {"choices": [{"delta": {"content": piece}}]}
            yield {"choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 3}, "cost": 0.004}

        return chunks()

    monkeypatch.setattr(litellm, "acompletion", acompletion)
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini", name="chat")
    synalinks.record_traces(base_dir=tmp_path)

    async def collect(stop_after=None):
        pieces = []
        stream = await language_model([{"role": "user", "content": "Hi"}], streaming=True)
        async for piece in stream:
            pieces.append(piece)
            if stop_after and len(pieces) == stop_after:
                break
        await stream.aclose()  # a consumer that stops early closes the stream
        return "".join(pieces)

    assert asyncio.run(collect()) == "Hello there"
    assert synalinks.hooks.current_span() is None, "the stream's span never leaks into its consumer"
    [trace] = read_traces(tmp_path / "chat.jsonl")
    [span] = trace["spans"]
    assert span["kind"] == "language_model" and span["inputs"] == [{"role": "user", "content": "Hi"}]
    assert span["outputs"] == {"role": "assistant", "content": "Hello there"}
    assert (span["prompt_tokens"], span["completion_tokens"], span["calls"]) == (7, 3, 1)
    assert span["cost"] == pytest.approx(0.004) and trace["cost"] == pytest.approx(0.004)
    assert asyncio.run(collect(stop_after=2)) == "Hello "
    second = read_traces(tmp_path / "chat.jsonl")[-1]
    assert second["spans"][0]["outputs"]["content"] == "Hello " and second["error"] is None


def test_the_prompts_sent_are_shown_by_traces_show_and_inspect_history(tmp_path):
    from synalinks.cli.main import main

    synalinks.record_traces(base_dir=tmp_path)
    program, _, _ = two_module_program()
    asyncio.run(program(Query(query="2+2?")))
    lines = []
    assert main(["traces", "show", str(tmp_path), "--prompts"], out=lines.append) == 0
    text = "\n".join(lines)
    assert '      user: {"query": "2+2?"}' in text, "the drafter's call shows what it was sent"
    assert "      system: " in text
    plain = []
    assert main(["traces", "show", str(tmp_path)], out=plain.append) == 0
    assert not any("user: " in line for line in plain), "without --prompts, no messages"
    history = []
    assert synalinks.hooks.inspect_history(n=2, base_dir=tmp_path, print_fn=history.append) == 0
    calls = [line for line in history if line and not line.startswith(" ")]
    assert len(calls) == 2 and calls[0].startswith("scripted/small") and calls[1].startswith("scripted/big")
    assert any(line.startswith("  reply: ") for line in history)
    with pytest.raises(FileNotFoundError, match="No trace file or folder"):
        synalinks.hooks.inspect_history(base_dir=tmp_path / "none")
