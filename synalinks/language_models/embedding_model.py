"""`EmbeddingModel`: texts to vectors, embedded offline or through litellm."""

import asyncio
import os

from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.saving.serialization import deserialize_nested

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


@register_synalinks_serializable(package="synalinks")
class EmbeddingModel:
    """Turns texts into vectors, for similarity rewards and optimizers.

    `local/minilm` (the default) is all-MiniLM-L6-v2 run in-process by
    onnxruntime, offline; any other model string goes through litellm
    (`openai/text-embedding-3-small`, `ollama/nomic-embed-text`, ...).

    Args:
        model: The model string.
        api_base: The server's base URL, for self-hosted servers.
        api_key: The API key (never saved).

    Example:

    ```python
    embedding_model = synalinks.EmbeddingModel(model="local/minilm")
    vectors = await embedding_model(["a cat sat on the mat", "a kitten on a rug"])
    ```
    """

    def __init__(self, model="local/minilm", api_base=None, api_key=None):
        if not isinstance(model, str) or not model:
            raise ValueError(f"`model` must be a model string such as 'local/minilm', got {model!r}.")
        self.model = model
        self.api_base = api_base
        self.api_key = api_key

    async def __call__(self, texts):
        """Returns a list of vectors, one per text."""
        if isinstance(texts, str):
            raise TypeError("EmbeddingModel takes a list of texts; wrap a single text in a list.")
        texts = list(texts)
        if not texts:
            return []
        if self.model == "local/minilm":
            from synalinks.language_models.embedded_minilm import EmbeddedMiniLM

            model = await asyncio.to_thread(EmbeddedMiniLM.get)
            return await asyncio.to_thread(model.embed, texts)
        import litellm

        kwargs = {}
        if self.api_base:
            kwargs["api_base"] = self.api_base
        if self.api_key:
            kwargs["api_key"] = self.api_key
        model = "ollama/" + self.model[len("ollama/") :] if self.model.startswith("ollama/") else self.model
        response = await litellm.aembedding(model=model, input=texts, **kwargs)
        data = response["data"] if isinstance(response, dict) else response.data
        return [item["embedding"] if isinstance(item, dict) else item.embedding for item in data]

    def get_config(self):
        return {"model": self.model, "api_base": self.api_base}

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_nested(config))

    def __repr__(self):
        return f"<EmbeddingModel model={self.model!r}>"


def cosine_similarity(first, second):
    """The cosine similarity of two vectors (lists of floats)."""
    dot = sum(a * b for a, b in zip(first, second))
    norm = (sum(a * a for a in first) ** 0.5) * (sum(b * b for b in second) ** 0.5)
    return dot / norm if norm else 0.0
