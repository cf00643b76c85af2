"""Reading a provider's reply: the text content, then the JSON value in it."""

import json
import re

from synalinks.utils.reply_fields import field_of

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class LanguageModelReplyError(ValueError):
    """A reply that has no content, is not JSON, or does not match the schema."""


def reply_message(response):
    """The message of the first choice of a litellm-style reply (an object or a dict)."""
    try:
        choices = response["choices"] if isinstance(response, dict) else response.choices
        return choices[0]["message"] if isinstance(choices[0], dict) else choices[0].message
    except (KeyError, IndexError, AttributeError, TypeError) as error:
        raise LanguageModelReplyError(f"The reply has no choices[0].message: {response!r:.300}") from error


def reply_content(response):
    """Returns the text of the first choice of a litellm-style reply.

    Accepts litellm's `ModelResponse` and the plain dict shape
    `{"choices": [{"message": {"content": "..."}}]}`. When the model answered
    with a tool call instead of content, the call's arguments are returned.
    """
    message = reply_message(response)
    content = field_of(message, "content")
    if content:
        return content
    tool_calls = field_of(message, "tool_calls")
    if tool_calls:
        call = tool_calls[0]
        function = call["function"] if isinstance(call, dict) else call.function
        return function["arguments"] if isinstance(function, dict) else function.arguments
    raise LanguageModelReplyError(f"The reply has no content: {response!r:.300}")


def parse_json_reply(content):
    """Returns the JSON object in `content`, tolerating a Markdown code fence.

    Raises:
        LanguageModelReplyError: when the content is not a JSON object.
    """
    if isinstance(content, dict):
        return content
    try:
        value = json.loads(content)
    except json.JSONDecodeError:
        fenced = _FENCE.match(content)
        if not fenced:
            raise LanguageModelReplyError(f"The reply is not JSON: {content!r:.300}") from None
        try:
            value = json.loads(fenced.group(1))
        except json.JSONDecodeError:
            raise LanguageModelReplyError(f"The reply is not JSON: {content!r:.300}") from None
    if not isinstance(value, dict):
        raise LanguageModelReplyError(f"The reply is JSON but not an object: {content!r:.300}")
    return value
