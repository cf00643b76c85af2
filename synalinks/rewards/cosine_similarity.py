"""`CosineSimilarity`: how close the prediction's meaning is to the target's."""

import json

from synalinks.language_models.defaults import get_default_embedding_model
from synalinks.language_models.embedding_model import cosine_similarity
from synalinks.rewards.reward import Reward
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class CosineSimilarity(Reward):
    """The cosine similarity of the embeddings of the target and the prediction, floored at 0.

    Each value's (masked) fields are embedded as JSON text.

    Args:
        embedding_model: The `EmbeddingModel`; by default the default one
            (the embedded all-MiniLM-L6-v2).
        name: The reward's name.
        in_mask, out_mask, in_mask_pattern, out_mask_pattern: The fields
            compared (see `Reward`).
        reduction: How a batch's rewards are reduced for the logs (see `Reward`).

    Example:

    ```python
    program.compile(reward=synalinks.rewards.CosineSimilarity(in_mask=["answer"]))
    ```
    """

    def __init__(
        self,
        embedding_model=None,
        name="cosine_similarity",
        in_mask=None,
        out_mask=None,
        in_mask_pattern=None,
        out_mask_pattern=None,
        reduction="mean",
    ):
        super().__init__(
            name=name,
            reduction=reduction,
            in_mask=in_mask,
            out_mask=out_mask,
            in_mask_pattern=in_mask_pattern,
            out_mask_pattern=out_mask_pattern,
        )
        self.embedding_model = embedding_model

    @staticmethod
    def _text(value):
        return json.dumps(value.get_json(), ensure_ascii=False, sort_keys=True)

    async def call(self, y_true, y_pred):
        model = self.embedding_model or get_default_embedding_model()
        first, second = await model([self._text(y_true), self._text(y_pred)])
        return max(0.0, cosine_similarity(first, second))

    def get_config(self):
        return {**super().get_config(), "embedding_model": self.embedding_model}
