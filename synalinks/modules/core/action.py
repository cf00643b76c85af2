"""`Action`: the language model fills a tool's arguments, then the tool runs."""

import logging

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.language_models.language_model import language_model_from_config
from synalinks.modules.core.generator import Generator
from synalinks.modules.core.tool import Tool
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable

logger = logging.getLogger("synalinks")


def action_schema(tool):
    return {
        "title": f"{tool.name}_action",
        "type": "object",
        "properties": {"arguments": tool.get_schema(), "result": {"description": f"What {tool.name} returned"}},
        "required": ["arguments", "result"],
    }


@register_synalinks_serializable(package="synalinks")
class Action(Module):
    """Calls a tool with arguments the language model fills from its input.

    The arguments are structured output that follows the tool's schema; then
    the tool runs. The output is `{"arguments": {...}, "result": ...}`. If the
    language model fails or the tool raises, the output is None and a warning
    is logged: one bad sample never stops a batch.

    Args:
        tool: A `Tool`, or a function to wrap in one.
        language_model: The `LanguageModel` that fills the arguments.
        instructions: How to choose the arguments.
        examples: Few-shot examples (inputs, arguments).
        name: The module's name.
        description: What the module does.
        trainable: Whether its prompt may be trained.

    Example:

    ```python
    async def calculate(expression: str) -> float:
        \"\"\"Evaluates an arithmetic expression such as '2 * (3 + 4)'.\"\"\"
        ...

    result = await synalinks.Action(calculate, language_model=lm)(inputs)
    # result.get("arguments") -> {"expression": "2 * (3 + 4)"}, result.get("result") -> 14
    ```
    """

    def __init__(
        self,
        tool=None,
        language_model=None,
        instructions=None,
        examples=None,
        name=None,
        description=None,
        trainable=True,
    ):
        super().__init__(name=name, description=description, trainable=trainable)
        self.tool = tool if isinstance(tool, Tool) else Tool(tool)
        self.generator = Generator(
            schema=self.tool.get_schema(),
            language_model=language_model,
            instructions=instructions or f"Give the arguments to call {self.tool.name}: {self.tool.description}",
            examples=examples,
            name=f"{self.name}_arguments",
        )

    async def call(self, inputs, training=False):
        if inputs is None:
            return None
        arguments = await self.generator(inputs, training=training)
        if arguments is None:
            return None
        try:
            result = await self.tool(**arguments.get_json())
        except Exception as error:
            logger.warning("%s: the tool %s raised %s: %s", self.name, self.tool.name, type(error).__name__, error)
            return None
        return JsonDataModel(
            schema=action_schema(self.tool), json={"arguments": arguments.get_json(), "result": result}
        )

    def compute_output_spec(self, inputs):
        return SymbolicDataModel(schema=action_schema(self.tool))

    def get_config(self):
        return {
            **super().get_config(),
            "tool": self.tool,
            "language_model": self.generator.language_model,
            "instructions": self.generator.instructions,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**{**config, "language_model": language_model_from_config(config.get("language_model"))})
