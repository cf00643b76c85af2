"""`EmbedKnowledge`: adds the embedding of a record's text to the record."""

from synalinks.data_models.concatenation import concatenate_schemas
from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable

EMBEDDING_SCHEMA = {
    "title": "Embedding",
    "type": "object",
    "properties": {
        "embedding": {"type": "array", "items": {"type": "number"}, "description": "The record's embedding"}
    },
    "required": ["embedding"],
}


@register_synalinks_serializable(package="synalinks")
class EmbedKnowledge(Module):
    """Embeds its input record and outputs it with an `embedding` field.

    The text embedded is the record's string fields (those of `in_mask`, or
    all but those of `out_mask`), joined by spaces. A `KnowledgeBase` given
    a record with an `embedding` stores that vector instead of computing
    one, so `EmbedKnowledge -> UpdateKnowledge` embeds once.

    Args:
        embedding_model: The `EmbeddingModel`.
        in_mask: The fields to embed.
        out_mask: Or the fields to leave out.
        name, description: As for every module.
        trainable: It has no variable (default False).

    Example:

    ```python
    inputs = synalinks.Input(data_model=Document)
    embedded = await synalinks.EmbedKnowledge(embedding_model=embedding_model, in_mask=["text"])(inputs)
    stored = await synalinks.UpdateKnowledge(knowledge_base=knowledge_base)(embedded)
    ```
    """

    def __init__(
        self, *, embedding_model=None, in_mask=None, out_mask=None, name=None, description=None, trainable=False
    ):
        super().__init__(name=name, description=description, trainable=trainable)
        if embedding_model is None:
            raise ValueError(f"{self.name}: EmbedKnowledge needs an `embedding_model`.")
        if in_mask is not None and out_mask is not None:
            raise ValueError("Give `in_mask` (the fields to embed) or `out_mask` (the fields to leave out), not both.")
        self.embedding_model = embedding_model
        self.in_mask = list(in_mask) if in_mask is not None else None
        self.out_mask = list(out_mask) if out_mask is not None else None

    def text_of(self, value):
        """The text embedded for a record's JSON."""
        fields = [name for name in value if name != "embedding"]
        if self.in_mask is not None:
            fields = [name for name in fields if name in self.in_mask]
        if self.out_mask is not None:
            fields = [name for name in fields if name not in self.out_mask]
        return " ".join(str(value[name]) for name in fields if isinstance(value[name], str) and value[name])

    async def call(self, inputs, training=False):
        if inputs is None:
            return None
        vector = (await self.embedding_model([self.text_of(inputs.get_json())]))[0]
        return JsonDataModel(
            schema=self._output_schema(inputs.get_schema()),
            json={**inputs.get_json(), "embedding": [float(number) for number in vector]},
            name=self.name,
        )

    @staticmethod
    def _output_schema(schema):
        if "embedding" in schema.get("properties", {}):
            return schema
        return concatenate_schemas(schema, EMBEDDING_SCHEMA)  # keeps the record's title: its table

    def compute_output_spec(self, inputs):
        return SymbolicDataModel(schema=self._output_schema(inputs.get_schema()), name=self.name)

    def get_config(self):
        return {
            **super().get_config(),
            "embedding_model": self.embedding_model,
            "in_mask": self.in_mask,
            "out_mask": self.out_mask,
        }
