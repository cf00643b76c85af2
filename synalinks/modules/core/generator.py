"""`Generator`: asks a language model for a data model, shaped by trainable prompts."""

import json
import logging

from synalinks.data_models.chat_messages import ChatMessage
from synalinks.data_models.concatenation import concatenate_schemas
from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.language_models.defaults import get_default_language_model
from synalinks.language_models.language_model import LanguageModel, LanguageModelAccessError, LanguageModelError
from synalinks.modules.core.prompt_template import check_prompt_template, render, render_default, uses_examples
from synalinks.modules.core.tool import Tool
from synalinks.modules.core.tool_loop import run_tool_loop
from synalinks.modules.module import Module
from synalinks.modules.trace import current_trace
from synalinks.saving.module_config import module_from_config
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.checks import check_positive_int, schema_of
from synalinks.utils.no_effect import warn_no_effect
from synalinks.utils.sample_failures import report_failure

logger = logging.getLogger("synalinks")

# The trainable state of a Generator: what optimizers change and checkpoints save.
GENERATOR_STATE_SCHEMA = {
    "title": "GeneratorState",
    "type": "object",
    "properties": {
        "instructions": {"type": "string"},
        "examples": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"inputs": {"type": "object"}, "outputs": {"type": "object"}},
                "required": ["inputs", "outputs"],
            },
        },
        "predictions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "inputs": {"type": "object"},
                    "outputs": {"type": "object"},
                    "reward": {"type": ["number", "null"]},
                },
                "required": ["inputs", "outputs"],
            },
        },
    },
    "required": ["instructions", "examples", "predictions"],
}


def _as_json(value):
    if hasattr(value, "get_json"):
        return value.get_json()
    if isinstance(value, dict):
        return value
    raise TypeError(f"A few-shot example's inputs and outputs must be data models or dicts, got {value!r:.100}")


def normalize_examples(examples):
    """Turns `[(inputs, outputs), ...]` or `[{"inputs":..., "outputs":...}]` into plain dicts."""
    normalized = []
    for example in examples or []:
        if isinstance(example, dict) and set(example) >= {"inputs", "outputs"}:
            inputs, outputs = example["inputs"], example["outputs"]
        elif isinstance(example, (list, tuple)) and len(example) == 2:
            inputs, outputs = example
        else:
            raise ValueError(f"A few-shot example must be an (inputs, outputs) pair, got {example!r:.100}")
        normalized.append({"inputs": _as_json(inputs), "outputs": _as_json(outputs)})
    return normalized


REASONING_EFFORTS = ("minimal", "low", "medium", "high", "disable", "none", None)

CHAT_MESSAGE_SCHEMA = ChatMessage.get_schema()


@register_synalinks_serializable(package="synalinks")
class Generator(Module):
    """Asks a language model to produce a `data_model` from its input.

    The prompt is built from the Generator's trainable state: its
    `instructions` and its few-shot `examples`, rendered as a system message
    (instructions and the output JSON schema), then each example as a user /
    assistant exchange, then the input. Optimizers change the state; checkpoints
    save it. If the language model fails for good, the output is None and a
    warning is logged, so one bad sample never stops a batch.

    Args:
        data_model: The `DataModel` class to produce.
        schema: The output JSON schema, instead of `data_model`.
        language_model: The `LanguageModel` to ask; by default the one set with
            `synalinks.set_default_language_model`, else the embedded `local/smollm2`.
        instructions: What the model should do, in words.
        examples: Few-shot examples, as `(inputs, outputs)` pairs of data models.
        return_inputs: Return the inputs' fields followed by the output's.
        name: The module's name.
        description: What the module does.
        trainable: Whether optimizers may change its instructions and examples.
        prompt_template: A Jinja2 template for the system message, rendered in
            a sandbox (see `synalinks.default_prompt_template()`); saved with
            the program. By default the built-in one.
        seed_instructions: Other instructions an optimizer may start from
            (kept in the config; the first instructions are `instructions`).
        use_inputs_schema: Write the input's JSON schema in the prompt.
        use_outputs_schema: Write the output's JSON schema, with its field
            descriptions, in the prompt. None (the default) writes it when
            the model would not see it otherwise: for the embedded models
            (held to the schema by a grammar, which shows the model nothing)
            and for `structured_output="none"`; a provider with native
            structured output gets the schema in the request (a JSON-schema
            response format or a forced tool call) and not in the prompt
            too. True always writes it; False writes it only with
            `structured_output="none"` (Synalinks' default, False, never
            shows a local model the descriptions).
        temperature: Sampling temperature of this module's calls (None: the
            language model's own setting).
        max_tokens: The most tokens a reply may have (None: the model's default).
        top_p: Nucleus sampling (None: the model's default).
        top_k: Top-k sampling (None: the model's default).
        reasoning_effort: `"minimal"`, `"low"`, `"medium"`, `"high"`,
            `"disable"`, `"none"` or None (not sent).
        streaming: Accepted for Synalinks code; a Generator with a schema
            returns the validated value once the reply is complete.
        tools: `Tool`s (or functions) the model may call: their calls (several
            in one turn run concurrently) are answered and the model asked
            again, up to `max_tool_iterations` turns, inside the one module
            call; then the answer (a `ChatMessage` without a schema, else the
            schema's value written from the conversation).
        max_tool_iterations: The most tool-calling turns.

    Without `data_model` or `schema` the Generator chats: its input (or the
    `messages` of a `ChatMessages` input) is the conversation and its output
    a `ChatMessage` (`{"role": "assistant", "content": ...}`).

    Example:

    ```python
    class Query(synalinks.DataModel):
        query: str

    class Answer(synalinks.DataModel):
        answer: str

    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    inputs = synalinks.Input(data_model=Query)
    outputs = await synalinks.Generator(
        data_model=Answer,
        language_model=language_model,
        instructions="Answer with a single word.",
    )(inputs)
    program = synalinks.Program(inputs=inputs, outputs=outputs)
    ```
    """

    def __init__(
        self,
        data_model=None,
        schema=None,
        language_model=None,
        instructions=None,
        examples=None,
        return_inputs=False,
        name=None,
        description=None,
        trainable=True,
        prompt_template=None,
        seed_instructions=None,
        use_inputs_schema=False,
        use_outputs_schema=None,
        temperature=None,
        max_tokens=None,
        top_p=None,
        top_k=None,
        reasoning_effort=None,
        streaming=False,
        tools=None,
        max_tool_iterations=5,
    ):
        super().__init__(name=name, description=description, trainable=trainable)
        schema = schema_of(data_model, schema, who=f"{self.name}: {type(self).__name__}", required=False)
        if schema is None and not self.chat_allowed:
            raise ValueError(f"{self.name}: {type(self).__name__} needs a `data_model` or a `schema`.")
        if prompt_template is not None:
            check_prompt_template(prompt_template)
        if reasoning_effort not in REASONING_EFFORTS:
            raise ValueError(f"`reasoning_effort` must be one of {REASONING_EFFORTS}, got {reasoning_effort!r}.")
        if seed_instructions is not None and (
            not isinstance(seed_instructions, list) or not all(isinstance(text, str) for text in seed_instructions)
        ):
            raise TypeError(f"`seed_instructions` must be a list of strings, got {seed_instructions!r:.100}.")
        self.prompt_template = prompt_template
        self.seed_instructions = list(seed_instructions or [])
        self.use_inputs_schema = bool(use_inputs_schema)
        self.use_outputs_schema = None if use_outputs_schema is None else bool(use_outputs_schema)
        self.streaming = bool(streaming)
        if self.streaming:
            warn_no_effect(
                "Generator",
                "streaming",
                "a Generator returns its complete value; stream chat text with "
                "LanguageModel(...)(messages, streaming=True)",
            )
        self.sampling = {
            key: value
            for key, value in (
                ("temperature", temperature),
                ("max_tokens", max_tokens),
                ("top_p", top_p),
                ("top_k", top_k),
                ("reasoning_effort", reasoning_effort),
            )
            if value is not None  # only what was set is sent: the model's own defaults apply otherwise
        }
        if language_model is None:
            language_model = get_default_language_model()
        if not isinstance(language_model, LanguageModel):
            raise ValueError(
                f"{self.name}: `language_model` must be a synalinks.LanguageModel, e.g. "
                f"synalinks.LanguageModel(model='openai/gpt-4o-mini'); got {language_model!r}."
            )
        self.schema = schema
        self.tools = [tool if isinstance(tool, Tool) else Tool(tool) for tool in tools or []]
        self.max_tool_iterations = check_positive_int(max_tool_iterations, "max_tool_iterations")
        self.language_model = language_model
        self.instructions = instructions or ""
        self.return_inputs = return_inputs
        self.state = self.add_variable(
            initializer={
                "instructions": self.instructions,
                "examples": normalize_examples(examples),
                "predictions": [],
            },
            schema=GENERATOR_STATE_SCHEMA,
            name="state",
        )
        self._prompt_cache = (None, None, None)

    def _writes_outputs_schema(self):
        """Whether the output schema goes in the prompt (see `use_outputs_schema`)."""
        language_model = self.language_model
        if language_model.structured_output == "none":
            return True
        if self.use_outputs_schema is None:
            return language_model.is_local
        return self.use_outputs_schema

    def _prompt_prefix(self, inputs_schema=None):
        """The messages before the input; rebuilt only when the state (or the input schema) changes."""
        state = self.state.get_json()
        cached_state, cached_inputs_schema, prefix = self._prompt_cache
        if cached_state is state and cached_inputs_schema is inputs_schema:
            return prefix
        write_schema = self._writes_outputs_schema()
        outputs_schema = self.schema if write_schema else None
        inputs_schema = inputs_schema if self.use_inputs_schema else None
        examples = state.get("examples", [])
        if self.prompt_template is None:
            system = render_default(state.get("instructions"), inputs_schema, outputs_schema)
            as_turns = examples
        else:
            in_template = uses_examples(self.prompt_template)
            system = render(
                self.prompt_template,
                state.get("instructions"),
                inputs_schema,
                outputs_schema,
                examples if in_template else [],
            )
            as_turns = [] if in_template else examples
        prefix = [{"role": "system", "content": system}]
        for example in as_turns:
            prefix.append({"role": "user", "content": json.dumps(example["inputs"], ensure_ascii=False)})
            prefix.append({"role": "assistant", "content": json.dumps(example["outputs"], ensure_ascii=False)})
        self._prompt_cache = (state, inputs_schema, prefix)
        return prefix

    # Without a schema a Generator chats: a conversation (`ChatMessages`) or any input in, a
    # `ChatMessage` out; with `tools` it runs the tool calls the model makes until it answers.
    chat_allowed = True

    def format_messages(self, inputs):
        """Returns the chat messages sent for `inputs` (a `JsonDataModel`); a conversation (an input
        with `messages`) is sent as its messages."""
        inputs_schema = inputs.get_schema() if self.use_inputs_schema else None
        value = inputs.get_json()
        conversation = value.get("messages") if self.schema is None else None
        if isinstance(conversation, list):
            context = {key: item for key, item in value.items() if key != "messages"}
            context_turn = [{"role": "user", "content": json.dumps(context, ensure_ascii=False)}] if context else []
            return [*self._prompt_prefix(inputs_schema), *context_turn, *conversation]
        user = {"role": "user", "content": json.dumps(value, ensure_ascii=False)}
        return [*self._prompt_prefix(inputs_schema), user]

    async def _reply(self, messages):
        """The model's reply: a validated value (with a schema) or a chat message, the tool calls run."""
        if not self.tools:
            return await self.language_model(messages, schema=self.schema, **self.sampling)
        conversation = list(messages)

        async def next_turn(conversation):
            return await self.language_model(conversation, tools=self.tools, **self.sampling)

        turn, out_of_turns = await run_tool_loop(next_turn, self.tools, conversation, self.max_tool_iterations)
        if out_of_turns:  # the model answers without tools
            turn = await self.language_model(conversation, tools=self.tools, tool_choice="none", **self.sampling)
        if self.schema is None:
            return turn
        return await self.language_model(conversation + [turn], schema=self.schema, **self.sampling)

    async def call(self, inputs, training=False):
        if inputs is None:
            return None
        try:
            value = await self._reply(self.format_messages(inputs))
        except LanguageModelAccessError:  # a refused key stops the run
            raise
        except LanguageModelError as error:
            report_failure(self.name, error, "%s: no output, the language model failed: %s", self.name, error)
            value = None
        trace = current_trace()
        if trace is not None:
            trace.record(self.state, inputs.get_json(), value)
        if value is None:
            return None
        output = JsonDataModel(schema=self.output_schema, json=self.reply_to_output(value), name=self.name)
        return inputs + output if self.return_inputs else output

    @property
    def output_schema(self):
        """The schema of the module's own output fields (the reply's schema unless a subclass reshapes
        it; a chat message without one)."""
        return self.schema if self.schema is not None else CHAT_MESSAGE_SCHEMA

    def reply_to_output(self, value):
        """The module's own output fields from the language model's validated reply."""
        return value

    def compute_output_spec(self, inputs):
        if self.return_inputs:
            return SymbolicDataModel(
                schema=concatenate_schemas(inputs.get_schema(), self.output_schema), name=self.name
            )
        return SymbolicDataModel(schema=self.output_schema, name=self.name)

    def get_config(self):
        return {
            **super().get_config(),
            "schema": self.schema,
            "language_model": self.language_model,
            "instructions": self.instructions,
            "return_inputs": self.return_inputs,
            "prompt_template": self.prompt_template,
            "seed_instructions": self.seed_instructions,
            "use_inputs_schema": self.use_inputs_schema,
            "use_outputs_schema": self.use_outputs_schema,
            **{
                key: self.sampling.get(key)
                for key in ("temperature", "max_tokens", "top_p", "top_k", "reasoning_effort")
            },
            "streaming": self.streaming,
            "tools": self.tools,
            "max_tool_iterations": self.max_tool_iterations,
        }

    @classmethod
    def from_config(cls, config):
        return module_from_config(cls, config)
