"""Chat data models (`ChatRole`, `ToolCall`, `ChatMessage`, `ChatMessages`) and their conversion to and
from the message format providers use (OpenAI's, which litellm speaks for all of them)."""

import json
from enum import StrEnum
from typing import Any, Literal

from synalinks.data_models.data_model import DataModel
from synalinks.data_models.field import Field
from synalinks.utils.reply_fields import field_of


class ChatRole(StrEnum):
    """Who wrote a chat message."""

    SYSTEM = "system"
    DEVELOPER = "developer"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"
    FUNCTION = "function"


class ToolCallFunction(DataModel):
    """The function a tool call names, with its arguments as a JSON string."""

    name: str = Field(description="The tool's name")
    arguments: str = Field(description="The arguments, a JSON object as text")


class ToolCall(DataModel):
    """One call of a tool, as the model asked for it."""

    id: str = Field(description="The call's id, repeated in the tool's answer")
    type: Literal["function"] = Field(default="function", description="Always 'function'")
    function: ToolCallFunction = Field(description="The tool and its arguments")


class ChatMessage(DataModel):
    """A message of a conversation."""

    role: ChatRole = Field(description="Who wrote it")
    content: str | list[dict[str, Any]] | dict[str, Any] | None = Field(default=None, description="What it says")
    tool_call_id: str | None = Field(default=None, description="For a tool's answer: the call it answers")
    tool_calls: list[ToolCall] | None = Field(default=None, description="For the model's turn: the tools it calls")
    name: str | None = Field(default=None, description="For a tool's answer: the tool's name")


class ChatMessages(DataModel):
    """A conversation."""

    messages: list[ChatMessage] = Field(default=[], description="The messages, oldest first")


def message_from_reply(message):
    """A provider's reply message (litellm's object or a dict) as a `ChatMessage` JSON dict.

    Arguments that are not text (some providers send objects) become JSON
    text, and a call without an id gets one (`call_<n>`), so the conversation
    can always be sent back.
    """
    value = {"role": "assistant", "content": field_of(message, "content")}
    calls = []
    for index, call in enumerate(field_of(message, "tool_calls") or []):
        function = field_of(call, "function") or {}
        arguments = field_of(function, "arguments")
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments if arguments is not None else {})
        calls.append(
            {
                "id": field_of(call, "id") or f"call_{index}",
                "type": "function",
                "function": {"name": field_of(function, "name"), "arguments": arguments},
            }
        )
    if calls:
        value["tool_calls"] = calls
    return value


_PLAIN_ROLES = ("system", "user")


def provider_messages(messages):
    """`ChatMessage`s (instances or JSON dicts) as provider messages: roles as strings, no empty fields."""
    if isinstance(messages, (str, bytes, dict)) or not hasattr(messages, "__iter__"):
        raise TypeError(f"`messages` must be a list of chat messages, got {type(messages).__name__}.")
    converted = []
    for message in messages:
        if type(message) is dict and message.get("role") in _PLAIN_ROLES and type(message.get("content")) is str:
            if None not in message.values():  # the common case, a system or user turn: copied as it is
                converted.append(dict(message))
                continue
        if not hasattr(message, "get_json") and not isinstance(message, dict):
            raise TypeError(
                f"`messages` must hold ChatMessage instances or dicts with a `role`, got {type(message).__name__}."
            )
        value = message.get_json() if hasattr(message, "get_json") else dict(message)
        value = {key: item for key, item in value.items() if item is not None}
        role = value.get("role")
        value["role"] = role.value if isinstance(role, ChatRole) else role
        if value["role"] == "assistant" and "content" not in value:
            value["content"] = None if value.get("tool_calls") else ""
        if value["role"] == "tool" and not isinstance(value.get("content"), str):
            value["content"] = json.dumps(value.get("content"), default=str)
        converted.append(value)
    return converted


def tool_result_message(tool_call_id, name, result):
    """The message answering a tool call with its result (any JSON value, or text)."""
    content = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False, default=str)
    return {"role": "tool", "tool_call_id": tool_call_id, "name": name, "content": content}
