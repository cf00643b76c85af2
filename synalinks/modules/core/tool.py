"""`Tool`: a Python function the language model can call, described by a JSON schema."""

import asyncio
import inspect
import json
import logging
import re
import types
import typing

from synalinks.data_models.schema_validation import schema_errors
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.saving.serialization import deserialize_nested
from synalinks.utils.checks import check_positive_int
from synalinks.utils.json_safe import json_safe
from synalinks.utils.sample_failures import report_failure

MAX_RESULT_CHARS = 50_000  # characters of JSON one tool result may bring to a model

logger = logging.getLogger("synalinks")

_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean", dict: "object", list: "array"}


def _type_schema(annotation):
    if annotation is inspect.Parameter.empty or annotation is typing.Any:
        return {}
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [_type_schema(arg) for arg in args if arg is not type(None)]
        return options[0] if len(options) == 1 else {"anyOf": options}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (list, tuple, set):
        return {"type": "array", "items": _type_schema(args[0])} if args else {"type": "array"}
    if origin is dict:
        return {"type": "object"}
    if annotation in _JSON_TYPES:
        return {"type": _JSON_TYPES[annotation]}
    if hasattr(annotation, "model_json_schema"):
        return annotation.model_json_schema()
    return {}


def _docstring_parts(docstring):
    """The summary and the `Args:` descriptions of a Google-style docstring."""
    docstring = inspect.cleandoc(docstring or "")
    summary = docstring.split("\n\n")[0].strip()
    descriptions = {}
    match = re.search(r"^Args:\s*$(.*?)(^\S|\Z)", docstring, re.MULTILINE | re.DOTALL)
    if match:
        current = None
        for line in match.group(1).splitlines():
            found = re.match(r"^\s+(\w+)(?:\s*\([^)]*\))?:\s*(.*)$", line)
            if found and (current is None or len(line) - len(line.lstrip()) <= 4):
                current = found.group(1)
                descriptions[current] = found.group(2).strip()
            elif current and line.strip():
                descriptions[current] += " " + line.strip()
    return summary, descriptions


@register_synalinks_serializable(package="synalinks")
class Tool(Module):
    """Wraps a function (plain or `async`) so a language model can call it.

    Its JSON schema comes from the signature (type hints) and the docstring
    (the first paragraph describes the tool, `Args:` describes each
    parameter); `get_tool_schema()` gives it in the providers' format.
    `await tool(**arguments)` returns the function's result as JSON data (`utils.json_safe`: dates as
    ISO text, NaN as null, other objects as their text).
    `await tool.run(arguments)` is what agents use: the arguments are checked
    against the schema first, and a wrong argument, an exception or a call
    longer than `timeout` seconds comes back as `{"error": ...}`, a result the
    model reads and can correct, never an exception that stops the program.
    To save programs that use it, register the function with
    `register_synalinks_serializable`.

    Args:
        function: The function.
        name: The tool's name (default: the function's name).
        description: What the tool does (default: from the docstring).
        timeout: Seconds a call may take in `run` (None: no limit). A sync
            function runs in a worker thread, so the program goes on at the
            timeout even if the function does not stop.
        schema: The arguments' JSON schema, instead of the signature's (for a
            function taking `**arguments`, e.g. a remote tool).
        max_result_chars: The most characters of JSON a result may bring to
            the model in `run` (default 50,000; None: no limit). A longer one is
            cut, with a note saying so, so that one large result (a file, a
            table, a page) does not fill the context and is not re-sent whole
            at every turn.

    Example:

    ```python
    async def add(a: int, b: int) -> int:
        \"\"\"Adds two numbers.

        Args:
            a: The first number.
            b: The second number.
        \"\"\"
        return a + b

    tool = synalinks.Tool(add)
    tool.get_schema()["properties"]  # {"a": {"type": "integer", ...}, "b": {...}}
    await tool(a=1, b=2)  # 3
    await tool.run({"a": "one", "b": 2})  # {"error": "invalid arguments: a: 'one' is not of type 'integer'"}
    ```
    """

    def __init__(
        self, function, name=None, description=None, timeout=None, schema=None, max_result_chars=MAX_RESULT_CHARS
    ):
        if not callable(function):
            raise TypeError(f"Tool needs a function, got {function!r}.")
        super().__init__(name=name or function.__name__, description=description, trainable=False)
        self.function = function
        self.timeout = timeout
        self.max_result_chars = check_positive_int(max_result_chars, "max_result_chars", allow_none=True)
        summary, descriptions = _docstring_parts(function.__doc__)
        self.description = description or summary or self.name
        properties, required = {}, []
        for parameter in inspect.signature(function).parameters.values():
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            prop = _type_schema(parameter.annotation)
            if parameter.name in descriptions:
                prop = {**prop, "description": descriptions[parameter.name]}
            properties[parameter.name] = prop
            if parameter.default is inspect.Parameter.empty:
                required.append(parameter.name)
        self._schema = {
            "title": self.name,
            "description": self.description,
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        if schema is not None:
            self._schema = {
                "type": "object",
                "properties": {},
                **schema,
                "title": self.name,
                "description": self.description,
            }
        self._given_schema = schema

    def get_schema(self):
        """The JSON schema of the tool's arguments."""
        return self._schema

    def get_tool_schema(self):
        """The tool as providers take it: `{"type": "function", "function": {name, description, parameters}}`."""
        parameters = {key: value for key, value in self._schema.items() if key not in ("title", "description")}
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": parameters},
        }

    async def __call__(self, **arguments):
        if inspect.iscoroutinefunction(self.function):
            result = await self.function(**arguments)
        else:
            result = await asyncio.to_thread(self.function, **arguments)
            if inspect.isawaitable(result):
                result = await result
        return json_safe(result)

    async def run(self, arguments):
        """Calls the tool for a model: checked arguments in (a dict or JSON text), a result or
        `{"error": ...}` out, within `timeout`."""
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments) if arguments.strip() else {}
            except json.JSONDecodeError as error:
                return {"error": f"the arguments are not JSON ({error}); send a JSON object"}
        if not isinstance(arguments, dict):
            return {"error": f"the arguments must be a JSON object, got {type(arguments).__name__}"}
        errors = schema_errors(arguments, self._schema)
        if errors:
            return {"error": f"invalid arguments: {'; '.join(errors[:3])}"}
        try:
            return capped_result(await asyncio.wait_for(self(**arguments), timeout=self.timeout), self.max_result_chars)
        except TimeoutError:
            report_failure(
                self.name,
                TimeoutError(f"{self.timeout} s"),
                "The tool %s took more than %s s and was abandoned.",
                self.name,
                self.timeout,
            )
            return {"error": f"the tool {self.name} did not answer within {self.timeout} s"}
        except Exception as error:
            report_failure(self.name, error, "The tool %s raised %s: %s", self.name, type(error).__name__, error)
            return {"error": f"{type(error).__name__}: {error}"}

    def get_config(self):
        config = {
            "function": self.function,
            "name": self.name,
            "description": self.description,
            "timeout": self.timeout,
            "max_result_chars": self.max_result_chars,
        }
        if self._given_schema is not None:
            config["schema"] = self._given_schema
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_nested(config))

    def __repr__(self):
        return f"<Tool {self.name}>"


def capped_result(result, max_chars):
    """`result`, or when its JSON is longer than `max_chars`, the start of that JSON text with a note for
    the model saying it was cut (None: never cut)."""
    if max_chars is None:
        return result
    text = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False)
    if len(text) <= max_chars:
        return result
    return (
        text[:max_chars] + f"\n[The result was cut: it has {len(text)} characters and only the first {max_chars} "
        "are shown. Ask for less (a filter, a smaller page) to see the rest.]"
    )
