"""EmbeddingModel: batches, cache, retries, limits and usage, with litellm.aembedding patched."""

import asyncio
from unittest import mock

import pytest

import synalinks
from synalinks.language_models.embedding_model import EmbeddingError


class RateLimitError(Exception):
    status_code = 429


def fake_aembedding(log, fail_first=0, in_flight=None):
    state = {"failures": fail_first, "current": 0}

    async def aembedding(model, input, **kwargs):
        log.append(list(input))
        if state["failures"]:
            state["failures"] -= 1
            raise RateLimitError("slow down")
        state["current"] += 1
        if in_flight is not None:
            in_flight.append(state["current"])
        await asyncio.sleep(0.01)
        state["current"] -= 1
        data = [{"index": i, "embedding": [float(len(text)), float(i)]} for i, text in reversed(list(enumerate(input)))]
        return {"data": data, "usage": {"prompt_tokens": 3 * len(input)}}

    return aembedding


def test_texts_go_in_batches_in_order_and_the_cache_answers_repeats():
    log = []
    model = synalinks.EmbeddingModel(model="openai/text-embedding-3-small", batch_size=2)
    with mock.patch("litellm.aembedding", fake_aembedding(log)):
        vectors = asyncio.run(model(["a", "bb", "ccc", "a", "dddd"]))
        assert [vector[0] for vector in vectors] == [1.0, 2.0, 3.0, 1.0, 4.0], "in the input's order"
        assert sorted(len(batch) for batch in log) == [2, 2], "four distinct texts, two per request"
        again = asyncio.run(model(["bb", "eeeee"]))
    assert again[0] == vectors[1] and len(log) == 3, "only the new text is sent"
    usage = model.usage.as_dict()
    assert usage["calls"] == 3 and usage["cache_hits"] == 1 and usage["prompt_tokens"] == 15


def test_a_rate_limited_request_is_retried_and_a_lasting_failure_is_clear():
    log = []
    model = synalinks.EmbeddingModel(model="openai/e", retry_delay=0.01, max_retries=2, caching=False)
    with mock.patch("litellm.aembedding", fake_aembedding(log, fail_first=2)):
        assert len(asyncio.run(model(["x"]))) == 1
    assert len(log) == 3 and model.usage.failures == 2
    with mock.patch("litellm.aembedding", fake_aembedding([], fail_first=10)):
        with pytest.raises(EmbeddingError, match="openai/e: embedding 1 texts failed after 3 tries: RateLimitError"):
            asyncio.run(model(["y"]))


def test_concurrency_is_limited_and_the_disk_cache_survives_a_new_model(tmp_path):
    in_flight = []
    model = synalinks.EmbeddingModel(model="openai/limited", batch_size=1, max_concurrency=2, cache_dir=tmp_path)
    with mock.patch("litellm.aembedding", fake_aembedding([], in_flight=in_flight)):
        asyncio.run(model([str(i) * (i + 1) for i in range(8)]))
    assert max(in_flight) == 2
    log = []
    fresh = synalinks.EmbeddingModel(model="openai/limited", cache_dir=tmp_path)
    with mock.patch("litellm.aembedding", fake_aembedding(log)):
        asyncio.run(fresh(["0", "11"]))
    assert log == [] and fresh.usage.cache_hits == 2
    rebuilt = synalinks.saving.deserialize(synalinks.saving.serialize(model))
    assert rebuilt.max_concurrency == 2 and rebuilt.cache_dir == str(tmp_path) and rebuilt.api_key is None


def test_the_memory_caches_are_bounded():
    from synalinks.language_models.response_cache import MEMORY_REPLIES_KEPT, ResponseCache
    from synalinks.utils.lru_cache import LRUCache

    cache = LRUCache(size=2)
    cache.put("a", [1.0])
    cache.put("b", [2.0])
    assert cache.get("a") == [1.0]
    cache.put("c", [3.0])
    assert cache.get("b") is None and cache.get("a") == [1.0], "the least recently used goes first"
    replies = ResponseCache(None)  # what LanguageModel(caching=True) keeps: bounded through a long fit
    for index in range(MEMORY_REPLIES_KEPT + 10):
        replies.put(str(index), {"answer": index})
    assert replies.get("0") is None and replies.get(str(MEMORY_REPLIES_KEPT + 9)) == {"answer": MEMORY_REPLIES_KEPT + 9}
    kept = replies.get("4000")
    kept["answer"] = "changed"
    assert replies.get("4000") == {"answer": 4000}, "a reply handed out is a copy"
