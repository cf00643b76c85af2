"""`CosineSimilarity`: how close the prediction's meaning is to the target's."""

import json

from synalinks.language_models.defaults import get_default_embedding_model
from synalinks.language_models.embedding_model import cosine_similarity
from synalinks.rewards.exact_match import masked_json
from synalinks.rewards.reward import Reward
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class CosineSimilarity(Reward):
    """The cosine similarity of the embeddings of the target and the prediction, floored at 0.

    Each value's (masked) fields are embedded as JSON text.

    Args:
        embedding_model: The `EmbeddingModel`; by default the default one
            (the embedded all-MiniLM-L6-v2).
        in_mask: Only compare these fields.
        out_mask: Ignore these fields.
        name: The reward's name.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.CosineSimilarity(in_mask=["answer"]), ...)
    ```
    """

    def __init__(self, embedding_model=None, in_mask=None, out_mask=None, name=None):
        super().__init__(name=name)
        self.embedding_model = embedding_model
        self.in_mask = in_mask
        self.out_mask = out_mask

    def _text(self, value):
        return json.dumps(
            masked_json(value.get_json(), self.in_mask, self.out_mask), ensure_ascii=False, sort_keys=True
        )

    async def call(self, y_true, y_pred):
        model = self.embedding_model or get_default_embedding_model()
        first, second = await model([self._text(y_true), self._text(y_pred)])
        return max(0.0, cosine_similarity(first, second))

    def get_config(self):
        return {
            "embedding_model": self.embedding_model,
            "in_mask": self.in_mask,
            "out_mask": self.out_mask,
            "name": self.name,
        }
