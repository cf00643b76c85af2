"""`FakeProvider`: stands in for `litellm.acompletion`, so code written for hosted models runs offline."""

import contextlib
import json


def example_value(schema, definitions=None):
    """The simplest value valid for a JSON schema: the first enum member, "text", a number in
    range, one item per array, every property of an object (`$ref`s into `$defs` followed).

    Example:

    ```python
    example_value({"type": "object", "properties": {"n": {"type": "integer", "minimum": 2}}})  # {"n": 2}
    ```
    """
    definitions = definitions if definitions is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return example_value(definitions[schema["$ref"].split("/")[-1]], definitions)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for combination in ("anyOf", "oneOf", "allOf"):
        if combination in schema:
            options = [option for option in schema[combination] if option.get("type") != "null"]
            return example_value((options or schema[combination])[0], definitions)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example_value(prop, definitions) for name, prop in properties.items()}
    if kind == "array":
        items = schema.get("items", {"type": "string"})
        return [example_value(items, definitions) for _ in range(max(1, schema.get("minItems", 1)))]
    if kind in ("number", "integer"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        value = low if "exclusiveMinimum" not in schema else low + 1
        return int(value) if kind == "integer" else float(value)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return "text"


class FakeProvider:
    """A stand-in for `litellm.acompletion` that answers every request offline.

    A request that asks for a JSON schema (a `response_format` or a forced
    tool call) gets `reply_function(request, schema)`, by default
    `example_value(schema)`; a request without a schema gets `"text"`.
    Every request is kept in `requests`. Use it to run code written for a
    hosted model (a tutorial, a notebook) without a key or a network.

    Args:
        reply_function: `fn(request, schema) -> dict`, the JSON to reply.

    Example:

    ```python
    with synalinks.testing.FakeProvider().patch():
        result = asyncio.run(program(Query(query="What is 2 + 2?")))
    ```
    """

    def __init__(self, reply_function=None):
        self.reply_function = reply_function
        self.requests = []

    @staticmethod
    def requested_schema(request):
        """The JSON schema a litellm request asks the reply to follow, or None."""
        response_format = request.get("response_format") or {}
        if isinstance(response_format, dict) and "json_schema" in response_format:
            return response_format["json_schema"].get("schema")
        for tool in request.get("tools") or []:
            return tool.get("function", {}).get("parameters")
        return None

    async def __call__(self, **request):
        self.requests.append(request)
        schema = self.requested_schema(request)
        if schema is None:
            content = "text"
        else:
            value = self.reply_function(request, schema) if self.reply_function else example_value(schema)
            content = json.dumps(value)
        if request.get("tools"):
            name = request["tools"][0]["function"]["name"]
            call = {"id": "call_0", "type": "function", "function": {"name": name, "arguments": content}}
            message = {"role": "assistant", "content": None, "tool_calls": [call]}
        else:
            message = {"role": "assistant", "content": content}
        return {
            "choices": [{"message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        }

    @contextlib.contextmanager
    def patch(self):
        """Puts this provider in place of `litellm.acompletion` inside the `with` block."""
        import litellm

        original = litellm.acompletion
        litellm.acompletion = self
        try:
            yield self
        finally:
            litellm.acompletion = original
