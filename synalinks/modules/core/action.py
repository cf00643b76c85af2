"""`Action`: the language model fills a tool's arguments, then the tool runs."""

import logging

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.core.generator import Generator
from synalinks.modules.core.inner_generator import inner_generator_arguments, inner_generator_config
from synalinks.modules.core.tool import Tool
from synalinks.modules.module import Module
from synalinks.saving.module_config import module_from_config
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.sample_failures import report_failure

logger = logging.getLogger("synalinks")


def action_schema(tool):
    """`{"action": {"inputs": <the tool's arguments>, "outputs": <what it returned>}}`, as in Synalinks."""
    return {
        "title": "GenericAction",
        "type": "object",
        "properties": {
            "action": {
                "type": "object",
                "properties": {
                    "inputs": tool.get_schema(),
                    "outputs": {"type": "object", "description": f"What {tool.name} returned"},
                },
                "required": ["inputs", "outputs"],
            }
        },
        "required": ["action"],
    }


def _as_outputs(result):
    if hasattr(result, "get_json"):
        return result.get_json()
    if isinstance(result, dict):
        return result
    return {} if result is None else {"result": result}


@register_synalinks_serializable(package="synalinks")
class Action(Module):
    """Calls a tool with arguments the language model fills from its input.

    The arguments are structured output that follows the tool's schema; then
    the tool runs. The output is `{"action": {"inputs": <arguments>,
    "outputs": <result>}}` (a result that is not a dict is given as
    `{"result": value}`). A tool that raises gives `{"error": "..."}` as its
    outputs, so the next module sees what went wrong; if the language model
    fails, the output is None and a warning is logged.

    Args:
        tool: A `Tool`, or a function to wrap in one.
        language_model: The `LanguageModel` that fills the arguments.
        prompt_template, examples, instructions, seed_instructions, temperature, max_tokens, top_p, top_k, reasoning_effort, use_inputs_schema, use_outputs_schema: The arguments' `Generator`
            arguments.
        name: The module's name.
        description: What the module does.
        trainable: Whether its prompt may be trained.

    Example:

    ```python
    async def calculate(expression: str) -> float:
        \"\"\"Evaluates an arithmetic expression such as '2 * (3 + 4)'.\"\"\"
        ...

    result = await synalinks.Action(tool=synalinks.Tool(calculate), language_model=lm)(inputs)
    # result.get("action") -> {"inputs": {"expression": "2 * (3 + 4)"}, "outputs": {"result": 14}}
    ```
    """

    def __init__(
        self,
        tool=None,
        language_model=None,
        prompt_template=None,
        examples=None,
        instructions=None,
        seed_instructions=None,
        temperature=None,
        max_tokens=None,
        top_p=None,
        top_k=None,
        reasoning_effort=None,
        use_inputs_schema=False,
        use_outputs_schema=None,
        name=None,
        description=None,
        trainable=True,
    ):
        super().__init__(name=name, description=description, trainable=trainable)
        self.tool = tool if isinstance(tool, Tool) else Tool(tool)
        self.generator = Generator(
            **inner_generator_arguments(
                locals(),
                schema=self.tool.get_schema(),
                instructions=instructions or f"Give the arguments to call {self.tool.name}: {self.tool.description}",
                name=f"{self.name}_arguments",
            )
        )
        self._schema = action_schema(self.tool)

    async def call(self, inputs, training=False):
        if inputs is None:
            return None
        arguments = await self.generator(inputs, training=training)
        if arguments is None:
            return None
        try:
            outputs = _as_outputs(await self.tool(**arguments.get_json()))
        except Exception as error:
            report_failure(
                self.name,
                error,
                "%s: the tool %s raised %s: %s",
                self.name,
                self.tool.name,
                type(error).__name__,
                error,
            )
            outputs = {"error": f"{type(error).__name__}: {error}"}
        return JsonDataModel(
            schema=self._schema, json={"action": {"inputs": arguments.get_json(), "outputs": outputs}}, name=self.name
        )

    def compute_output_spec(self, inputs):
        return SymbolicDataModel(schema=self._schema, name=self.name)

    def get_config(self):
        return {
            **super().get_config(),
            "tool": self.tool,
            "language_model": self.generator.language_model,
            **inner_generator_config(self.generator),
        }

    @classmethod
    def from_config(cls, config):
        return module_from_config(cls, config)
