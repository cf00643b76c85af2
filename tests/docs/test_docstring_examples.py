"""Every `Example:` block of the docstrings runs, and so does the README's code block.

An example may use, without defining them, the names of its own module (as a
doctest does) and the names its docstring talks about, set up here: `Query`,
`Answer` and the other data models, a language model `lm` (`language_model`)
answered offline by `FakeProvider`, a compiled `program`, data (`x`, `y`,
`x_train`, ...), `inputs` and a `knowledge_base`. Blocks with `await` run in an
event loop. Each runs in its own empty folder.
"""

import ast
import asyncio
import enum
import http.server
import importlib
import inspect
import json
import logging
import os
import pathlib
import signal
import threading

import numpy as np
import pytest

import synalinks
from synalinks.testing import FakeProvider
from tests.docs.example_blocks import docstring_examples, readme_blocks

EXAMPLES = docstring_examples()
ROOT = pathlib.Path(__file__).resolve().parents[2]


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="The user query")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The correct answer")


class Question(synalinks.DataModel):
    question: str = synalinks.Field(description="The question")


class Document(synalinks.DataModel):
    id: str = synalinks.Field(description="The document's identifier")
    text: str = synalinks.Field(description="The document's text")


class Review(synalinks.DataModel):
    review: str = synalinks.Field(description="A movie review")


class Sentiment(synalinks.DataModel):
    sentiment: str = synalinks.Field(description="'positive' or 'negative'")


MATH_SERVER = """
try:
    from mcp.server import MCPServer
except ImportError:  # the SDK's 1.x name
    from mcp.server.fastmcp import FastMCP as MCPServer

server = MCPServer("math")


@server.tool()
def add(a: int, b: int) -> int:
    \"\"\"Adds two integers.\"\"\"
    return a + b


server.run()
"""


def write_example_files(folder):
    """The files the examples read: datasets, notes, a Markdown folder, an MCP server."""
    rows = [{"query": f"What is {i} + {i}?", "answer": str(2 * i)} for i in range(4)]
    (folder / "qa.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    (folder / "qa.json").write_text(json.dumps(rows))
    (folder / "questions.jsonl").write_text(
        "".join(json.dumps({"question": row["query"], "answer": row["answer"]}) + "\n" for row in rows)
    )
    (folder / "reviews.csv").write_text("review,sentiment\nLovely film.,positive\nDull and long.,negative\n")
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    import pyarrow

    pyarrow_parquet.write_table(pyarrow.Table.from_pylist(rows), folder / "qa.parquet")
    for name in ("docs", "notes"):
        (folder / name).mkdir()
    (folder / "docs" / "guide.md").write_text("# Guide\nIntro.\n## Install\npip install synalinks\n")
    (folder / "notes" / "monday.txt").write_text("Paris is the capital of France. " * 20)
    (folder / "math_server.py").write_text(MATH_SERVER)


class KeywordEmbeddings(synalinks.EmbeddingModel):
    """Offline vectors: how often each of a few words appears (enough for a search to find something)."""

    WORDS = ("paris", "france", "capital", "llama", "python", "answer")

    def __init__(self, model="fake/keywords", **kwargs):
        super().__init__(model=model, **kwargs)

    async def __call__(self, texts):
        return [[text.lower().count(word) + 0.01 for word in self.WORDS] for text in texts]


def example_namespace(module_name, code):
    """The names an example starts with: its module's own, then the shared ones it uses."""
    shared = {name: make for name, make in shared_names().items() if name in code}
    return {
        **vars(importlib.import_module(module_name)),
        **{name: make() for name, make in shared.items()},
        "__name__": "__example__",
    }


def shared_names():
    """How each shared name is made (only those an example uses are)."""
    lm = lambda: synalinks.LanguageModel(model="openai/gpt-4o-mini")  # noqa: E731
    x = lambda: np.array([Query(query=f"What is {i} + {i}?") for i in range(4)], dtype=object)  # noqa: E731
    y = lambda: np.array([Answer(answer=str(2 * i)) for i in range(4)], dtype=object)  # noqa: E731
    return {
        "synalinks": lambda: synalinks,
        "np": lambda: np,
        "asyncio": lambda: asyncio,
        "Query": lambda: Query,
        "Answer": lambda: Answer,
        "Question": lambda: Question,
        "Document": lambda: Document,
        "Review": lambda: Review,
        "Sentiment": lambda: Sentiment,
        "lm": lm,
        "language_model": lm,
        "embedding_model": KeywordEmbeddings,
        "inputs": lambda: synalinks.Input(data_model=Query),
        "program": compiled_program,
        "x": x,
        "y": y,
        "x1": lambda: Query(query="What is 1 + 1?"),
        "x2": lambda: Answer(answer="2"),
        "x_train": x,
        "y_train": y,
        "x_val": x,
        "y_val": y,
        "x_test": x,
        "y_test": y,
        "knowledge_base": filled_knowledge_base,
        "kb": filled_knowledge_base,
    }


def compiled_program():
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    inputs = synalinks.Input(data_model=Query)
    program = synalinks.Program(
        inputs=inputs,
        outputs=asyncio.run(synalinks.Generator(data_model=Answer, language_model=language_model)(inputs)),
        name="qa",
    )
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(),
        metrics=[synalinks.metrics.Accuracy()],
    )
    return program


def filled_knowledge_base():
    knowledge_base = synalinks.KnowledgeBase(
        uri="duckdb://./knowledge.db", data_models=[Document], embedding_model=KeywordEmbeddings()
    )
    asyncio.run(
        knowledge_base.update(
            [Document(id="1", text="Paris is the capital of France."), Document(id="2", text="Llamas are calm.")]
        )
    )
    return knowledge_base


def run_block(code, namespace, name):
    compiled = compile(code, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    if compiled.co_flags & inspect.CO_COROUTINE:
        asyncio.run(eval(compiled, namespace))
    else:
        exec(compiled, namespace)


class Collector(http.server.BaseHTTPRequestHandler):
    """Accepts what is posted (an OTLP collector, for the examples that export traces)."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def otlp_collector():
    """A sink on the exporters' default port, so their retries do not slow the examples (another pytest
    worker's sink serves as well; the examples do not depend on it)."""
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 4318), Collector)
    except OSError:  # the port is taken: by another worker's sink
        yield
        return
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield
    server.shutdown()


@pytest.fixture
def in_empty_folder(tmp_path, monkeypatch, otlp_collector):
    """The example's folder (also `SYNALINKS_HOME`), the provider answered offline, and no global hook
    or Ray instance left behind, the default models and the log settings as they were."""
    monkeypatch.chdir(tmp_path)
    write_example_files(tmp_path)
    monkeypatch.setenv("SYNALINKS_HOME", str(tmp_path))
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    hooks = synalinks.hooks.global_hooks()
    logger = logging.getLogger("synalinks")
    level, handlers = logger.level, list(logger.handlers)
    try:
        with FakeProvider().patch():
            yield tmp_path
    finally:
        synalinks.hooks.clear_global_hooks()
        for hook in hooks:
            synalinks.hooks.add_global_hook(hook)
        synalinks.set_default_language_model(None)
        synalinks.set_default_embedding_model(None)
        logger.setLevel(level)
        logger.handlers[:] = handlers


@pytest.fixture(scope="module")
def ray_cluster():
    """A local Ray instance whose workers answer offline too; the examples' own `ray.init()` joins it."""
    ray = pytest.importorskip("ray")
    handlers = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={
            "env_vars": {"PYTHONPATH": str(ROOT), "LITELLM_LOCAL_MODEL_COST_MAP": "True"},
            "worker_process_setup_hook": "tests.docs.test_docstring_examples.answer_offline",
        },
    )
    yield ray
    ray.shutdown()
    for number, handler in handlers.items():  # ray.init installs its own; other tests check the defaults
        signal.signal(number, handler)


def answer_offline():
    """Each Ray worker's setup: `litellm.acompletion` answered by `FakeProvider`."""
    import litellm

    litellm.acompletion = FakeProvider()


@pytest.mark.parametrize("example_id,module_name,code", EXAMPLES, ids=[example[0] for example in EXAMPLES])
def test_docstring_example_runs(example_id, module_name, code, in_empty_folder, request, monkeypatch):
    if "synalinks.distributed" in code:
        ray = request.getfixturevalue("ray_cluster")
        monkeypatch.setattr(ray, "init", lambda *args, **kwargs: None)  # the cluster is up already
    run_block(code, example_namespace(module_name, code), example_id)


def test_every_public_class_has_an_example():
    """The public classes (the names `synalinks` exports, data models and enums aside: their fields
    and members document them)
    each show one."""
    documented = {example_id.split("::")[1].split("#")[0] for example_id, _, _ in EXAMPLES}
    missing = []
    for name in dir(synalinks):
        obj = getattr(synalinks, name)
        if name.startswith("_") or not inspect.isclass(obj) or issubclass(obj, (synalinks.DataModel, enum.Enum)):
            continue
        if obj.__name__ not in documented:  # an alias (`Concatenate`) counts as its class
            missing.append(name)
    assert len(EXAMPLES) > 150
    assert missing == [], f"public classes without an `Example:` block: {missing}"


def test_readme_block_runs(in_empty_folder):
    (block,) = readme_blocks()
    namespace = {"__name__": "__main__"}
    run_block(block, namespace, "README.md")
    assert os.path.isfile(namespace["checkpoint"].filepath)
    assert namespace["best"].evaluate(namespace["x_test"], namespace["y_test"], verbose=0)["accuracy"] >= 0.0
