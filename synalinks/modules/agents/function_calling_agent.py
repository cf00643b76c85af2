"""`FunctionCallingAgent`: a language model that calls tools natively, several at once, until it answers."""

import contextvars
import logging

from synalinks.data_models.chat_messages import ChatMessage, ChatMessages
from synalinks.data_models.concatenation import concatenate_schemas
from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.core.generator import Generator
from synalinks.modules.core.tool import Tool
from synalinks.modules.core.tool_loop import run_tool_calls, run_tool_loop
from synalinks.modules.module import Module
from synalinks.modules.ttc.chain_of_thought import ChainOfThought
from synalinks.saving.module_config import module_from_config
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.checks import check_positive_int, schema_of

logger = logging.getLogger("synalinks")

CHAT_MESSAGES_SCHEMA = ChatMessages.get_schema()
CHAT_MESSAGE_SCHEMA = ChatMessage.get_schema()
DEFAULT_INSTRUCTIONS = "You are a helpful agent. Call the tools you need, then answer."


# The tool choice of the step being run: per task, so concurrent samples never see each other's.
_tool_choice = contextvars.ContextVar("synalinks_agent_tool_choice", default=None)


@register_synalinks_serializable(package="synalinks")
class ToolCallsGenerator(Generator):
    """The agent's step: one call of the model with the tools, its turn returned as it is (the agent
    runs the calls). Its instructions and examples are the agent's trainable prompt."""

    def __init__(self, agent_tools=None, **kwargs):
        super().__init__(**kwargs)
        self.agent_tools = [tool if isinstance(tool, Tool) else Tool(tool) for tool in agent_tools or []]

    def get_config(self):
        return {**super().get_config(), "agent_tools": self.agent_tools}

    async def _reply(self, messages):
        return await self.language_model(
            messages, tools=self.agent_tools, tool_choice=_tool_choice.get(), **self.sampling
        )


@register_synalinks_serializable(package="synalinks")
class FunctionCallingAgent(Module):
    """An agent that calls tools through the model's native tool calling.

    Each step the model sees the conversation so far and either calls tools
    (several calls in one turn run concurrently) or answers. A tool's
    result, or its error (unknown tool, arguments that do not fit its schema,
    an exception, a timeout), goes back to the model as a `tool` message, so
    it can correct itself; nothing a tool does stops the program. Models
    without native tool calling (the embedded ones) call tools by
    constrained decoding, with the same turns.

    - Autonomous (`autonomous=True`): runs until the model answers without a
      tool call, or `max_iterations` turns; then, with a `data_model` /
      `schema`, a final Generator writes the answer from the conversation.
    - Interactive (`autonomous=False`): takes a `ChatMessages` conversation,
      runs the tool calls of its last assistant turn (the ones a person
      accepted, perhaps edited), asks the model one step and returns; the
      caller appends a user turn or sends it back to continue.

    The output is the answer (a `ChatMessage` without a schema, else the
    schema's fields); with `return_inputs_with_trajectory` (the default) the
    conversation's `messages` come first. The step's and the final answer's
    instructions and examples are variables: the agent trains with `fit`
    and checkpoints like any module.

    Args:
        schema, data_model: The answer's shape (None: a chat answer).
        language_model: The model.
        prompt_template, examples, temperature, max_tokens, top_p, top_k, use_inputs_schema, use_outputs_schema, reasoning_effort: The step
            Generator's arguments.
        instructions: What the agent does (the step's system prompt).
        final_instructions: The final answer's instructions (default: `instructions`).
        use_chain_of_thought: The final answer thinks first (a `thinking` field).
        tools: `Tool`s or functions.
        autonomous: Run the loop (True) or one step at a time (False).
        return_inputs_with_trajectory: Put the conversation's `messages` before the answer.
        max_iterations: The most tool-calling turns (autonomous mode).
        streaming: Accepted for Synalinks code (the answer comes complete).
        name, description, trainable: As for every module.

    Example:

    ```python
    async def calculate(expression: str):
        \"\"\"Computes an arithmetic expression.

        Args:
            expression: The expression, e.g. "2 * (3 + 4)".
        \"\"\"
        return {"result": eval(expression, {"__builtins__": {}})}

    agent = synalinks.FunctionCallingAgent(
        data_model=Answer, tools=[calculate], language_model=lm, max_iterations=3
    )
    answer = await agent(Query(query="What is 12 * 7?"))
    ```
    """

    def __init__(
        self,
        *,
        schema=None,
        data_model=None,
        language_model=None,
        prompt_template=None,
        examples=None,
        instructions=None,
        final_instructions=None,
        temperature=None,
        max_tokens=None,
        top_p=None,
        top_k=None,
        use_inputs_schema=False,
        use_outputs_schema=None,
        reasoning_effort=None,
        use_chain_of_thought=False,
        tools=None,
        autonomous=True,
        return_inputs_with_trajectory=True,
        max_iterations=5,
        streaming=False,
        name=None,
        description=None,
        trainable=True,
    ):
        super().__init__(name=name, description=description, trainable=trainable)
        self.schema = schema_of(data_model, schema, who=f"{self.name}: {type(self).__name__}", required=False)
        self.max_iterations = check_positive_int(max_iterations, "max_iterations")
        self.tools = [tool if isinstance(tool, Tool) else Tool(tool) for tool in tools or []]
        if not self.tools:
            raise ValueError(f"{self.name}: {type(self).__name__} needs at least one tool.")
        names = [tool.name for tool in self.tools]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: two tools have the same name: {names}.")
        self.instructions = instructions
        self.final_instructions = final_instructions
        self.use_chain_of_thought = use_chain_of_thought
        self.autonomous = autonomous
        self.return_inputs_with_trajectory = return_inputs_with_trajectory
        self.streaming = streaming
        sampling = {"temperature": temperature, "max_tokens": max_tokens, "top_p": top_p, "top_k": top_k}
        self.sampling = sampling
        self.generator_arguments = {
            "prompt_template": prompt_template,
            "use_inputs_schema": use_inputs_schema,
            "use_outputs_schema": use_outputs_schema,
            "reasoning_effort": reasoning_effort,
        }
        self.tool_calls_generator = ToolCallsGenerator(
            agent_tools=self.tools,
            language_model=language_model,
            instructions=instructions or DEFAULT_INSTRUCTIONS,
            examples=examples,
            name=f"{self.name}_step",
            **self.generator_arguments,
            **sampling,
        )
        self.final_generator = None
        if self.schema is not None:
            final_class = ChainOfThought if use_chain_of_thought else Generator
            self.final_generator = final_class(
                schema=self.schema,
                language_model=self.tool_calls_generator.language_model,
                instructions=final_instructions or instructions or "Answer from the conversation and the tool results.",
                name=f"{self.name}_answer",
                **self.generator_arguments,
                **sampling,
            )

    # The conversation

    @staticmethod
    def _conversation(inputs):
        """The context fields and the messages of an input (a conversation's, or none yet)."""
        value = inputs.get_json()
        messages = value.get("messages")
        if isinstance(messages, list):
            return {key: item for key, item in value.items() if key != "messages"}, list(messages)
        return value, []

    def _state(self, inputs, context, messages):
        schema = inputs.get_schema()
        if "messages" not in schema.get("properties", {}):
            schema = concatenate_schemas(schema, CHAT_MESSAGES_SCHEMA)
        return JsonDataModel(schema=schema, json={**context, "messages": list(messages)})  # a snapshot: traces keep it

    async def _step(self, inputs, context, messages, training, tool_choice=None):
        token = _tool_choice.set(tool_choice)
        try:
            turn = await self.tool_calls_generator(self._state(inputs, context, messages), training=training)
        finally:
            _tool_choice.reset(token)
        return turn.get_json() if turn is not None else None

    async def call(self, inputs, training=False):
        if inputs is None:
            return None
        context, messages = self._conversation(inputs)
        if not self.autonomous:
            if "messages" not in inputs.get_schema().get("properties", {}):
                raise ValueError(
                    f"{self.name}: in interactive mode (autonomous=False) the input is a conversation "
                    "(`synalinks.ChatMessages`), which each call continues."
                )
            return await self._interactive_step(inputs, context, messages, training)

        async def next_turn(messages):
            return await self._step(inputs, context, messages, training)

        answer, out_of_turns = await run_tool_loop(next_turn, self.tools, messages, self.max_iterations)
        if out_of_turns:
            logger.info("%s: %d tool-calling turns, the most allowed: answering now.", self.name, self.max_iterations)
        return await self._finish(inputs, context, messages, answer, training)

    async def _interactive_step(self, inputs, context, messages, training):
        new_messages = []
        if messages and messages[-1].get("role") == "assistant" and messages[-1].get("tool_calls"):
            new_messages = await run_tool_calls(self.tools, messages[-1]["tool_calls"])
            messages.extend(new_messages)
        turn = await self._step(inputs, context, messages, training)
        if turn is not None and turn.get("tool_calls"):
            messages.append(turn)
            new_messages.append(turn)
            shown = messages if self.return_inputs_with_trajectory else new_messages
            return JsonDataModel(schema=CHAT_MESSAGES_SCHEMA, json={"messages": shown}, name=self.name)
        return await self._finish(inputs, context, messages, turn, training, new_messages=new_messages)

    async def _finish(self, inputs, context, messages, answer, training, new_messages=None):
        """The agent's output: the answer, after the conversation when asked."""
        shown = messages if self.return_inputs_with_trajectory or new_messages is None else new_messages
        if self.final_generator is None:
            if answer is None:  # out of turns: the model answers without tools
                answer = await self._step(inputs, context, messages, training, tool_choice="none")
            if answer is None:
                return None
            if not self.return_inputs_with_trajectory and new_messages is None:
                return JsonDataModel(schema=CHAT_MESSAGE_SCHEMA, json=answer, name=self.name)
            return JsonDataModel(schema=CHAT_MESSAGES_SCHEMA, json={"messages": [*shown, answer]}, name=self.name)
        final = await self.final_generator(self._state(inputs, context, messages), training=training)
        if final is None:
            return None
        if not self.return_inputs_with_trajectory and new_messages is None:
            return final
        trajectory = JsonDataModel(schema=CHAT_MESSAGES_SCHEMA, json={"messages": shown})
        return trajectory + final

    def compute_output_spec(self, inputs):
        if self.final_generator is None:
            chat_only = not self.return_inputs_with_trajectory and self.autonomous
            return SymbolicDataModel(schema=CHAT_MESSAGE_SCHEMA if chat_only else CHAT_MESSAGES_SCHEMA, name=self.name)
        answer_schema = self.final_generator.output_schema
        if self.return_inputs_with_trajectory or not self.autonomous:
            return SymbolicDataModel(schema=concatenate_schemas(CHAT_MESSAGES_SCHEMA, answer_schema), name=self.name)
        return SymbolicDataModel(schema=answer_schema, name=self.name)

    def get_config(self):
        return {
            **super().get_config(),
            "schema": self.schema,
            "language_model": self.tool_calls_generator.language_model,
            "instructions": self.instructions,
            "final_instructions": self.final_instructions,
            **self.sampling,
            **self.generator_arguments,
            "use_chain_of_thought": self.use_chain_of_thought,
            "tools": self.tools,
            "autonomous": self.autonomous,
            "return_inputs_with_trajectory": self.return_inputs_with_trajectory,
            "max_iterations": self.max_iterations,
            "streaming": self.streaming,
        }

    @classmethod
    def from_config(cls, config):
        return module_from_config(cls, config)
