"""`UpdateKnowledge`: stores its input in a knowledge base and passes it on."""

from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.tree import flatten


@register_synalinks_serializable(package="synalinks")
class UpdateKnowledge(Module):
    """Upserts its input records into a knowledge base (keyed by their first field), then outputs
    them unchanged, so a program can extract records and store them in one pass.

    Args:
        knowledge_base: The `KnowledgeBase`; the input's data model must be one of its tables.
        name, description: As for every module.
        trainable: It has no variable (default False).

    Example:

    ```python
    inputs = synalinks.Input(data_model=Query)
    document = await synalinks.Generator(data_model=Document, language_model=lm)(inputs)
    stored = await synalinks.UpdateKnowledge(knowledge_base=knowledge_base)(document)
    ```
    """

    def __init__(self, knowledge_base=None, name=None, description=None, trainable=False):
        super().__init__(name=name, description=description, trainable=trainable)
        if knowledge_base is None:
            raise ValueError(f"{self.name}: UpdateKnowledge needs a `knowledge_base`.")
        self.knowledge_base = knowledge_base

    async def call(self, inputs, training=False):
        records = [record for record in flatten(inputs) if record is not None]
        if records:
            await self.knowledge_base.update(records)
        return inputs

    def compute_output_spec(self, inputs):
        if isinstance(inputs, (list, tuple)):
            return [SymbolicDataModel(schema=value.get_schema()) for value in inputs]
        return SymbolicDataModel(schema=inputs.get_schema(), name=self.name)

    def get_config(self):
        return {**super().get_config(), "knowledge_base": self.knowledge_base}
