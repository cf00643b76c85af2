"""`FunctionCallingAgent`: a bounded loop of tool calls that ends in an answer."""

import logging

from synalinks.data_models.concatenation import concatenate_schemas
from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.schema_validation import schema_errors
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.language_models.language_model import language_model_from_config
from synalinks.modules.core.generator import Generator
from synalinks.modules.core.tool import Tool
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.checks import check_positive_int, schema_of

logger = logging.getLogger("synalinks")

FINISH = "finish"
TRAJECTORY_SCHEMA = {
    "title": "Trajectory",
    "type": "object",
    "properties": {
        "trajectory": {"type": "array", "items": {"type": "object"}, "description": "The tool calls made so far"}
    },
    "required": ["trajectory"],
}


def step_schema(tools):
    return {
        "title": "AgentStep",
        "type": "object",
        "properties": {
            "thinking": {"type": "string", "description": "What to do next and why"},
            "tool": {
                "type": "string",
                "enum": [tool.name for tool in tools] + [FINISH],
                "description": f"The tool to call, or '{FINISH}' to answer",
            },
            "arguments": {"type": "object", "description": "The tool's arguments (empty to finish)"},
        },
        "required": ["thinking", "tool", "arguments"],
    }


@register_synalinks_serializable(package="synalinks")
class FunctionCallingAgent(Module):
    """Calls tools, one step at a time, then answers with `data_model`.

    At each step the language model sees the input and the trajectory so far
    (each call's tool, arguments and result) and picks a tool and its
    arguments, or `finish`. After `finish`, or `max_iterations` steps, a
    final Generator answers. A tool that raises, or arguments that do not fit
    the tool's schema, become an `{"error": ...}` result the model can read
    and correct: they never stop the batch.

    Args:
        data_model: The answer's `DataModel` class (or `schema`).
        schema: The answer's JSON schema.
        tools: `Tool`s or functions.
        language_model: The `LanguageModel` to ask.
        instructions: What the agent should do.
        max_iterations: The most tool calls.
        return_trajectory: Add the trajectory to the output.
        name: The module's name.
        description: What the module does.
        trainable: Whether its prompts may be trained.

    Example:

    ```python
    agent = synalinks.FunctionCallingAgent(
        data_model=Answer, tools=[calculate], language_model=lm, max_iterations=3
    )
    answer = await agent(inputs)
    ```
    """

    def __init__(
        self,
        data_model=None,
        schema=None,
        tools=None,
        language_model=None,
        instructions=None,
        max_iterations=5,
        return_trajectory=False,
        name=None,
        description=None,
        trainable=True,
    ):
        super().__init__(name=name, description=description, trainable=trainable)
        schema = schema_of(data_model, schema, who=f"{self.name}: FunctionCallingAgent")
        check_positive_int(max_iterations, "max_iterations")
        self.tools = [tool if isinstance(tool, Tool) else Tool(tool) for tool in tools or []]
        if not self.tools:
            raise ValueError(f"{self.name}: FunctionCallingAgent needs at least one tool.")
        self.schema = schema
        self.max_iterations = max_iterations
        self.return_trajectory = return_trajectory
        self.instructions = instructions
        tool_list = "\n".join(
            f"- {tool.name}: {tool.description} Arguments schema: {tool.get_schema()}" for tool in self.tools
        )
        self.step_generator = Generator(
            schema=step_schema(self.tools),
            language_model=language_model,
            instructions=(instructions or "Solve the task with the tools.") + f"\nTools:\n{tool_list}",
            name=f"{self.name}_step",
        )
        self.answer_generator = Generator(
            schema=schema,
            language_model=language_model,
            instructions=(instructions or "Solve the task.") + "\nAnswer using the results of the tool calls.",
            name=f"{self.name}_answer",
        )

    async def _run_tool(self, tool_name, arguments):
        tool = next(tool for tool in self.tools if tool.name == tool_name)
        errors = schema_errors(arguments, tool.get_schema())
        if errors:
            return {"error": f"invalid arguments: {'; '.join(errors[:3])}"}
        try:
            return await tool(**arguments)
        except Exception as error:
            logger.warning("%s: the tool %s raised %s: %s", self.name, tool.name, type(error).__name__, error)
            return {"error": f"{type(error).__name__}: {error}"}

    async def call(self, inputs, training=False):
        if inputs is None:
            return None
        trajectory = []
        for _ in range(self.max_iterations):
            state = inputs + JsonDataModel(schema=TRAJECTORY_SCHEMA, json={"trajectory": list(trajectory)})
            step = await self.step_generator(state, training=training)
            if step is None or step.get("tool") == FINISH:
                break
            result = await self._run_tool(step.get("tool"), step.get("arguments"))
            trajectory.append({"tool": step.get("tool"), "arguments": step.get("arguments"), "result": result})
        state = inputs + JsonDataModel(schema=TRAJECTORY_SCHEMA, json={"trajectory": trajectory})
        answer = await self.answer_generator(state, training=training)
        if answer is None or not self.return_trajectory:
            return answer
        return answer + JsonDataModel(schema=TRAJECTORY_SCHEMA, json={"trajectory": trajectory})

    def compute_output_spec(self, inputs):
        schema = concatenate_schemas(self.schema, TRAJECTORY_SCHEMA) if self.return_trajectory else self.schema
        return SymbolicDataModel(schema=schema)

    def get_config(self):
        return {
            **super().get_config(),
            "schema": self.schema,
            "tools": self.tools,
            "language_model": self.step_generator.language_model,
            "instructions": self.instructions,
            "max_iterations": self.max_iterations,
            "return_trajectory": self.return_trajectory,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**{**config, "language_model": language_model_from_config(config.get("language_model"))})
