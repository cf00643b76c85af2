"""Every registered class round-trips through serialize / JSON / deserialize (as Keras' run_class_serialization_test)."""

import asyncio
import inspect
import json
import tempfile

import pytest

import synalinks
from synalinks.saving import deserialize, serialize
from synalinks.saving.object_registry import _registry
from tests.conftest import Answer, Query


@synalinks.saving.register_synalinks_serializable(package="tests_round_trip")
async def lookup(query: str):
    """Looks the query up."""
    return {"result": query}


@synalinks.saving.register_synalinks_serializable(package="tests_round_trip")
def same(y_true, y_pred):
    return 1.0


def _lm():
    return synalinks.LanguageModel(model="openai/gpt-4o-mini", temperature=0.2)


def _generator():
    return synalinks.Generator(data_model=Answer, language_model=_lm(), name="answer")


def _functional():
    async def build():
        inputs = synalinks.Input(data_model=Query)
        outputs = await _generator()(inputs)
        return synalinks.Program(inputs=inputs, outputs=outputs, name="qa")

    return asyncio.run(build())


def _kb():
    return synalinks.KnowledgeBase(uri=tempfile.mkdtemp(), data_models=[Answer])


FACTORIES = {
    "Accuracy": lambda: synalinks.metrics.Accuracy(in_mask=["answer"]),
    "Action": lambda: synalinks.Action(tool=lookup, language_model=_lm()),
    "And": lambda: synalinks.And(),
    "BatchRewardFunctionWrapper": lambda: synalinks.rewards.BatchRewardFunctionWrapper(fn=same),
    "BinaryAccuracy": lambda: synalinks.metrics.BinaryAccuracy(threshold=0.3, in_mask_pattern="^is_"),
    "BinaryF1Score": lambda: synalinks.metrics.BinaryF1Score(average="macro"),
    "BinaryFBetaScore": lambda: synalinks.metrics.BinaryFBetaScore(beta=2.0, threshold=0.7),
    "BinaryPrecision": lambda: synalinks.metrics.BinaryPrecision(),
    "BinaryRecall": lambda: synalinks.metrics.BinaryRecall(out_mask=["thinking"]),
    "CategoricalAccuracy": lambda: synalinks.metrics.CategoricalAccuracy(labels=["a", "b"]),
    "CategoricalF1Score": lambda: synalinks.metrics.CategoricalF1Score(labels=["a", "b"], average="weighted"),
    "CategoricalFBetaScore": lambda: synalinks.metrics.CategoricalFBetaScore(beta=0.5),
    "CategoricalPrecision": lambda: synalinks.metrics.CategoricalPrecision(),
    "CategoricalRecall": lambda: synalinks.metrics.CategoricalRecall(),
    "GapK": lambda: synalinks.metrics.GapK(k=3),
    "PassAtK": lambda: synalinks.metrics.PassAtK(k=2, reward=synalinks.rewards.ExactMatch(in_mask=["answer"])),
    "PassHatK": lambda: synalinks.metrics.PassHatK(k=2, pass_threshold=0.5),
    "Branch": lambda: synalinks.Branch(
        question="Which?", labels=["a", "b"], branches=[_generator(), synalinks.Identity()], language_model=_lm()
    ),
    "ChainOfThought": lambda: synalinks.ChainOfThought(data_model=Answer, language_model=_lm()),
    "Concat": lambda: synalinks.Concat(),
    "CosineSimilarity": lambda: synalinks.rewards.CosineSimilarity(
        embedding_model=synalinks.EmbeddingModel(model="openai/text-embedding-3-small")
    ),
    "Decision": lambda: synalinks.Decision(question="Which?", labels=["a", "b"], language_model=_lm()),
    "EmbedKnowledge": lambda: synalinks.EmbedKnowledge(
        embedding_model=synalinks.EmbeddingModel(model="openai/text-embedding-3-small"), in_mask=["answer"]
    ),
    "FullTextSearch": lambda: synalinks.FullTextSearch(
        knowledge_base=_kb(), language_model=_lm(), data_model=Answer, conjunctive=True
    ),
    "HybridFTSSearch": lambda: synalinks.HybridFTSSearch(knowledge_base=_kb(), language_model=_lm(), k_rank=30),
    "RRFReranker": lambda: synalinks.RRFReranker(k=4, id_key="answer"),
    "RegexSearch": lambda: synalinks.RegexSearch(knowledge_base=_kb(), language_model=_lm(), case_sensitive=False),
    "SQLAgent": lambda: synalinks.SQLAgent(knowledge_base=_kb(), language_model=_lm(), k=7),
    "SimilaritySearch": lambda: synalinks.SimilaritySearch(
        knowledge_base=_kb(), language_model=_lm(), table_name="Answer", threshold=0.4
    ),
    "Text2SQL": lambda: synalinks.Text2SQL(knowledge_base=_kb(), language_model=_lm(), output_format="csv"),
    "VectorRAGAgent": lambda: synalinks.VectorRAGAgent(
        knowledge_base=_kb(), language_model=_lm(), search_type="fulltext"
    ),
    "EmbeddingModel": lambda: synalinks.EmbeddingModel(model="openai/text-embedding-3-small"),
    "ExactMatch": lambda: synalinks.rewards.ExactMatch(in_mask=["answer"]),
    "F1Score": lambda: synalinks.metrics.F1Score(),
    "FBetaScore": lambda: synalinks.metrics.FBetaScore(beta=2.0),
    "FunctionCallingAgent": lambda: synalinks.FunctionCallingAgent(
        data_model=Answer, tools=[lookup], language_model=_lm(), max_iterations=3, autonomous=False
    ),
    "Functional": _functional,
    "Generator": _generator,
    "Identity": lambda: synalinks.Identity(),
    "InMask": lambda: synalinks.InMask(mask=["answer"], pattern="^final_"),
    "InputModule": lambda: synalinks.Input(data_model=Query)._history[0],
    "JsonOperation": lambda: synalinks.modules.JsonOperation("prefix", "draft"),
    "KnowledgeBase": lambda: synalinks.KnowledgeBase(
        uri=tempfile.mkdtemp(), data_models=[Answer], embedding_model=synalinks.EmbeddingModel(model="local/minilm")
    ),
    "LMAsJudge": lambda: synalinks.rewards.LMAsJudge(
        language_model=_lm(), score_type="Rating", examples=[({"q": 1}, {"critique": "ok", "reward": 5})]
    ),
    "LMUsageMetric": lambda: synalinks.metrics.LMUsageMetric(),
    "Lambda": lambda: synalinks.Lambda(function=same, schema=Answer.get_schema()),
    "LanguageModel": lambda: synalinks.LanguageModel(model="openai/a", fallback="openai/b", max_retries=1),
    "Max": lambda: synalinks.metrics.Max(name="best"),
    "Mean": lambda: synalinks.metrics.Mean(name="m"),
    "Min": lambda: synalinks.metrics.Min(name="worst"),
    "MeanMetricWrapper": lambda: synalinks.metrics.MeanMetricWrapper(fn=same, name="same"),
    "MultiDecision": lambda: synalinks.MultiDecision(question="Which?", labels=["a", "b", "c"], language_model=_lm()),
    "Not": lambda: synalinks.Not(),
    "OMEGA": lambda: synalinks.optimizers.OMEGA(language_model=_lm(), nb_candidates=2),
    "Or": lambda: synalinks.Or(),
    "OutMask": lambda: synalinks.OutMask(mask=["answer"]),
    "Precision": lambda: synalinks.metrics.Precision(),
    "Program": _functional,
    "ProgramAsJudge": lambda: synalinks.rewards.ProgramAsJudge(program=_functional()),
    "RandomFewShot": lambda: synalinks.optimizers.RandomFewShot(nb_max_examples=5, eval_size=8),
    "Recall": lambda: synalinks.metrics.Recall(),
    "RetrieveKnowledge": lambda: synalinks.RetrieveKnowledge(
        knowledge_base=synalinks.KnowledgeBase(uri=tempfile.mkdtemp(), data_models=[Answer]),
        language_model=_lm(),
        search_type="fulltext",
        k=3,
    ),
    "RewardFunctionWrapper": lambda: synalinks.rewards.RewardFunctionWrapper(fn=same),
    "ScriptedLanguageModel": lambda: synalinks.testing.ScriptedLanguageModel(replies=[{"answer": "x"}]),
    "SelfCritique": lambda: synalinks.SelfCritique(language_model=_lm(), score_type=synalinks.Rating10),
    "Sequential": lambda: synalinks.Sequential([synalinks.Input(data_model=Query), _generator()], name="seq"),
    "Sum": lambda: synalinks.metrics.Sum(name="s"),
    "Tool": lambda: synalinks.Tool(lookup, timeout=2.5),
    "ToolCallsGenerator": lambda: synalinks.modules.agents.function_calling_agent.ToolCallsGenerator(
        agent_tools=[lookup], language_model=_lm(), instructions="Call tools."
    ),
    "UpdateKnowledge": lambda: synalinks.UpdateKnowledge(
        knowledge_base=synalinks.KnowledgeBase(uri=tempfile.mkdtemp(), data_models=[Answer])
    ),
    "Xor": lambda: synalinks.Xor(),
}
synalinks.import_all()  # `import synalinks` registers the classes of the modules it imports on first use
CLASSES = sorted(
    name.split(">")[1] for name, obj in _registry.items() if name.startswith("synalinks>") and inspect.isclass(obj)
)


def test_every_registered_class_has_a_round_trip_case():
    assert sorted(FACTORIES) == CLASSES, "add a factory for each newly registered class"


@pytest.mark.parametrize("name", CLASSES)
def test_round_trip(name):
    original = FACTORIES[name]()
    config = serialize(original)
    text = json.dumps(config)  # plain JSON all the way down
    rebuilt = deserialize(json.loads(text))
    assert type(rebuilt) is type(original)
    assert serialize(rebuilt) == config
