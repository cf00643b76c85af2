"""W10-W12: the knowledge base's ingest speed, search latency and retrieval quality (LanceDB, the default).

Each W10 leg runs in its own process, so its peak RSS is its own.
"""

import asyncio
import inspect
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHUNKS = 100_000
MINILM_CHUNKS = 5_000  # MiniLM embeds a few hundred chunks a second on 2 cores: its rate is measured on these
DIMENSION = 384
BATCH = 5_000
QUERIES = 50


def chunk_schema():
    return {
        "title": "Chunk",
        "type": "object",
        "properties": {"chunk_id": {"type": "string"}, "text": {"type": "string"}},
        "required": ["chunk_id", "text"],
    }


def chunk_texts(count, seed=0):
    """About 300 characters each, of words drawn from a 20,000-word vocabulary (Zipf-like)."""
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 10))) for _ in range(20_000)]
    cumulative, total = [], 0.0
    for rank in range(len(vocabulary)):
        total += 1 / (rank + 1)
        cumulative.append(total)
    texts = []
    for _ in range(count):
        common = rng.choices(vocabulary, cum_weights=cumulative, k=20)
        rare = rng.choices(vocabulary, k=30)
        words = [word for pair in zip(common, rare) for word in pair]
        texts.append(" ".join(words)[:300].rsplit(" ", 1)[0])
    return texts, vocabulary


def english_chunks(count):
    """`count` chunks of about 300 characters of English: the standard library's docstrings, cut by
    `TextSplitter`, numbered so that each is a new text (as many times over as needed)."""
    from synalinks.datasets import TextSplitter

    splitter = TextSplitter(chunk_size=300, chunk_overlap=0)
    pieces = [chunk for _, _, body in stdlib_docstrings() for chunk in splitter.split(body) if len(chunk) > 100]
    return [f"({index}) {pieces[index % len(pieces)]}" for index in range(count)]


def ingest(uri, count, precomputed):
    """Stores `count` chunks; returns (seconds spent in `update`, peak RSS MB). With precomputed
    vectors the texts are synthetic (their words do not matter); MiniLM embeds English text."""
    import numpy

    import synalinks

    texts = chunk_texts(count)[0] if precomputed else english_chunks(count)
    kb = synalinks.KnowledgeBase(
        uri=uri,
        data_models=[chunk_schema()],
        embedding_model=synalinks.EmbeddingModel(model="local/minilm", caching=False),
    )
    asyncio.run(kb.count("Chunk"))  # opens the store and loads MiniLM (for its dimension) before the clock
    rng = numpy.random.default_rng(0)
    spent = 0.0
    for start in range(0, count, BATCH):
        records = []
        vectors = rng.standard_normal((min(BATCH, count - start), DIMENSION)).astype("float32") if precomputed else None
        for offset, text in enumerate(texts[start : start + BATCH]):
            value = {"chunk_id": f"c{start + offset}", "text": text}
            if precomputed:
                value["embedding"] = vectors[offset].tolist()
            records.append(synalinks.JsonDataModel(schema=chunk_schema(), json=value))
        begin = time.perf_counter()
        asyncio.run(kb.update(records))
        spent += time.perf_counter() - begin
    assert asyncio.run(kb.count("Chunk")) == count
    return spent, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_process(function, *args):
    """Runs `function(*args)` in a fresh interpreter; returns what it returns (JSON)."""
    code = (
        f"import sys, json; sys.path.insert(0, {ROOT!r}); sys.path.insert(0, {os.path.dirname(__file__)!r});"
        f"import knowledge; print(json.dumps(knowledge.{function}(*{list(args)!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def w10_ingest(store=None):
    """W10: chunks per second into the default store, with precomputed vectors and with MiniLM."""
    store = store or tempfile.mkdtemp(prefix="w10-")
    spent, rss = _in_process("ingest", os.path.join(store, "precomputed"), CHUNKS, True)
    minilm_spent, minilm_rss = _in_process("ingest", os.path.join(store, "minilm"), MINILM_CHUNKS, False)
    return {
        "w10_precomputed_chunks_per_s": (CHUNKS / spent, "chunks/s"),
        "w10_precomputed_peak_rss": (rss, "MB"),
        "w10_minilm_chunks_per_s": (MINILM_CHUNKS / minilm_spent, "chunks/s"),
        "w10_minilm_peak_rss": (minilm_rss, "MB"),
    }


def _percentiles(latencies):
    latencies = sorted(latencies)
    return statistics.median(latencies) * 1000, latencies[int(0.95 * (len(latencies) - 1))] * 1000


def w11_search():
    """W11: p50 and p95 of each search, k=10, over W10's 100,000 precomputed chunks.

    `*_search` times the search with the query's vector given (what the
    store does); `*_text` adds embedding the query text with MiniLM first
    (what a program's call costs), each query a new text.
    """
    import synalinks

    store = tempfile.mkdtemp(prefix="w11-")
    _in_process("ingest", os.path.join(store, "precomputed"), CHUNKS, True)
    kb = synalinks.KnowledgeBase(
        uri=os.path.join(store, "precomputed"),
        data_models=[chunk_schema()],
        embedding_model=synalinks.EmbeddingModel(model="local/minilm", caching=False),
    )
    texts, vocabulary = chunk_texts(CHUNKS)
    rng = random.Random(1)
    queries = [" ".join(rng.choice(texts).split()[i : i + 3]) for i in range(QUERIES)]
    vectors = asyncio.run(kb.embedding_model(queries))

    async def timed(calls):
        latencies = []
        for call in calls:
            begin = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - begin)
        return latencies

    async def run_all():
        # Warm-up: the first searches build the full-text and vector indexes (counted in W11's build time).
        begin = time.perf_counter()
        await kb.fulltext_search(queries[0], table_name="Chunk", k=10)
        await kb.similarity_search(table_name="Chunk", vector_or_vectors=vectors[0], k=10)
        build = time.perf_counter() - begin
        results = {"w11_index_build": (build, "s")}
        searches = {
            "similarity_search": lambda q, v: kb.similarity_search(table_name="Chunk", vector_or_vectors=v, k=10),
            "fulltext_search": lambda q, v: kb.fulltext_search(q, table_name="Chunk", k=10),
            "hybrid_search": lambda q, v: kb.hybrid_fts_search(q, table_name="Chunk", vector_or_vectors=v, k=10),
            "similarity_text": lambda q, v: kb.similarity_search(q, table_name="Chunk", k=10),
            "hybrid_text": lambda q, v: kb.hybrid_fts_search(q, table_name="Chunk", k=10),
        }
        for name, search in searches.items():
            latencies = await timed([lambda q=q, v=v, s=search: s(q, v) for q, v in zip(queries, vectors)])
            p50, p95 = _percentiles(latencies)
            results[f"w11_{name}_p50"] = (p50, "ms")
            results[f"w11_{name}_p95"] = (p95, "ms")
        return results

    return asyncio.run(run_all())


def stdlib_docstrings(limit=3000):
    """(query, body) pairs from the standard library's docstrings: the first line asks, the rest answers."""
    import importlib
    import pkgutil
    import sysconfig

    stdlib = sysconfig.get_paths()["stdlib"]
    pairs, seen = [], set()
    names = sorted(
        module.name
        for module in pkgutil.iter_modules([stdlib])
        if not module.name.startswith("_") and "site-packages" not in module.module_finder.path
    )
    for name in names:
        if name in ("antigravity", "this", "idlelib", "turtledemo", "tkinter", "turtle"):
            continue
        try:
            module = importlib.import_module(name)
        except BaseException:
            continue
        members = []
        for attribute, value in sorted(vars(module).items()):
            if attribute.startswith("_") or not (inspect.isfunction(value) or inspect.isclass(value)):
                continue
            members.append((attribute, value))
            if inspect.isclass(value):  # and the methods written in the class
                members.extend(
                    (f"{attribute}.{method}", function)
                    for method, function in sorted(vars(value).items())
                    if not method.startswith("_") and inspect.isfunction(function)
                )
        for attribute, value in members:
            doc = inspect.getdoc(value) or ""
            lines = doc.strip().splitlines()
            if len(lines) < 3 or id(value) in seen:
                continue
            first, body = lines[0].strip(), "\n".join(lines[1:]).strip()
            if len(first) < 20 or len(body) < 80 or first in body:
                continue
            seen.add(id(value))
            pairs.append((f"{name}.{attribute}", first, body[:1000]))
            if len(pairs) >= limit:
                return pairs
    return pairs


def w12_quality():
    """W12: recall@5 of each search on the standard library's docstrings (query: a docstring's first
    line; the answer: the rest of it, among all the others)."""
    import synalinks

    pairs = stdlib_docstrings()
    kb = synalinks.KnowledgeBase(
        uri=tempfile.mkdtemp(prefix="w12-"),
        data_models=[chunk_schema()],
        embedding_model=synalinks.EmbeddingModel(model="local/minilm"),
    )
    records = [
        synalinks.JsonDataModel(schema=chunk_schema(), json={"chunk_id": key, "text": body}) for key, _, body in pairs
    ]
    asyncio.run(kb.update(records))

    async def recall(search):
        found = 0
        for key, first, _ in pairs:
            rows = await search(first)
            found += key in [row["chunk_id"] for row in rows]
        return found / len(pairs)

    return {
        "w12_documents": (len(pairs), "docstrings"),
        "w12_similarity_recall_at_5": (
            asyncio.run(recall(lambda q: kb.similarity_search(q, table_name="Chunk", k=5))),
            "ratio",
        ),
        "w12_fulltext_recall_at_5": (
            asyncio.run(recall(lambda q: kb.fulltext_search(q, table_name="Chunk", k=5))),
            "ratio",
        ),
        "w12_hybrid_recall_at_5": (
            asyncio.run(recall(lambda q: kb.hybrid_fts_search(q, table_name="Chunk", k=5))),
            "ratio",
        ),
    }
