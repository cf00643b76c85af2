"""Tool calling: tools in the providers' format, and, for models without native tool calling (the
embedded model), the same tool calls obtained by constrained decoding."""

import json

from synalinks.data_models.chat_messages import provider_messages

MAX_FALLBACK_CALLS = 1  # one call a turn: small models repeat a call to fill any room given them


def tool_schemas(tools):
    """`Tool`s, plain functions or provider tool dicts, as provider tool dicts."""
    from synalinks.modules.core.tool import Tool

    schemas = []
    for tool in tools:
        if isinstance(tool, dict):
            schemas.append(tool)
        else:
            schemas.append((tool if isinstance(tool, Tool) else Tool(tool)).get_tool_schema())
    return schemas


def fallback_schema(schemas, tool_choice=None):
    """What a model without native tool calling writes: `content`, and `tool_calls` (each a tool's name
    and its arguments, held to the tool's schema by the grammar)."""
    calls = [
        {
            "type": "object",
            "properties": {
                "name": {"type": "string", "enum": [schema["function"]["name"]]},
                "arguments": schema["function"].get("parameters") or {"type": "object"},
            },
            "required": ["name", "arguments"],
        }
        for schema in schemas
    ]
    at_least = 1 if tool_choice == "required" else 0
    at_most = 0 if tool_choice == "none" else MAX_FALLBACK_CALLS
    return {
        "title": "AssistantTurn",
        "type": "object",
        "properties": {
            "tool_calls": {
                "type": "array",
                "items": {"anyOf": calls} if len(calls) > 1 else calls[0],
                "minItems": at_least,
                "maxItems": at_most,
                "description": "The tools to call now (none to answer)",
            },
            "content": {"type": "string", "description": "The answer, when no tool is called"},
        },
        "required": ["tool_calls", "content"],
    }


def fallback_messages(messages, schemas):
    """The conversation as plain system / user / assistant turns, the tools described first."""
    listing = "\n".join(
        f"- {schema['function']['name']}: {schema['function'].get('description', '')} "
        f"Arguments: {json.dumps(schema['function'].get('parameters', {}))}"
        for schema in schemas
    )
    guide = (
        f"You can call these tools:\n{listing}\n"
        "Reply with JSON: `tool_calls` lists the tools to call now with their arguments; to answer instead, "
        "leave `tool_calls` empty and write the answer in `content`."
    )
    converted = []
    for message in provider_messages(messages):
        role = message["role"]
        if role == "tool":
            name = message.get("name") or message.get("tool_call_id")
            converted.append({"role": "user", "content": f"Result of the tool {name}: {message.get('content')}"})
        elif role == "assistant" and message.get("tool_calls"):
            calls = [
                {"name": call["function"]["name"], "arguments": json.loads(call["function"]["arguments"] or "{}")}
                for call in message["tool_calls"]
            ]
            converted.append({"role": "assistant", "content": json.dumps({"tool_calls": calls, "content": ""})})
        elif role in ("system", "developer"):
            converted.append({"role": "system", "content": message.get("content") or ""})
        else:
            converted.append({"role": role, "content": message.get("content") or ""})
    if converted and converted[0]["role"] == "system":
        converted[0] = {"role": "system", "content": converted[0]["content"] + "\n\n" + guide}
    else:
        converted.insert(0, {"role": "system", "content": guide})
    return converted


def fallback_reply(value):
    """A constrained reply (`{"tool_calls": [...], "content": ...}`) as a provider reply with tool calls."""
    calls = [
        {
            "id": f"call_{index}",
            "type": "function",
            "function": {"name": call["name"], "arguments": json.dumps(call.get("arguments") or {})},
        }
        for index, call in enumerate(value.get("tool_calls") or [])
    ]
    message = {"role": "assistant", "content": None if calls else value.get("content", "")}
    if calls:
        message["tool_calls"] = calls
    return {"choices": [{"message": message}]}
