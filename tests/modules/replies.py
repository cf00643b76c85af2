"""A scripted reply function that answers every schema the module library asks for."""

import json


def universal_reply(messages, schema, index):
    """Answers by the schema's title; the query `q<i>` decides labels and answers. Without a schema (an
    agent's step) it calls `add(q, 1)` once, then answers."""
    if schema is None:
        if messages[-1]["role"] == "tool":
            return {"content": "done"}
        number = int(json.loads(messages[-1]["content"]).get("query", "q0")[1:] or 0)
        arguments = json.dumps({"a": number, "b": 1})
        return {
            "tool_calls": [{"id": "call_0", "type": "function", "function": {"name": "add", "arguments": arguments}}]
        }
    content = json.loads(messages[-1]["content"])
    query = content.get("query", "q0")
    number = int(query[1:]) if query[1:].isdigit() else 0
    title = schema.get("title")
    properties = schema.get("properties", {})
    if title == "Decision":
        labels = properties["choice"]["enum"]
        return {"thinking": "by parity", "choice": labels[number % len(labels)]}
    if title == "MultiDecision":
        labels = properties["choices"]["items"]["enum"]
        return {"thinking": "first ones", "choices": labels[: 1 + number % len(labels)]}
    if title == "Critique":
        reply = {"critique": f"answer {content.get('answer')} looks fine"}
        if "reward" in properties:
            reply["reward"] = 0.5
        return reply
    if title == "add":
        return {"a": number, "b": 1}
    reply = {}
    if "thinking" in properties:
        reply["thinking"] = "let me think"
    if "answer" in properties:
        results = [message["content"] for message in content.get("messages") or [] if message["role"] == "tool"]
        reply["answer"] = results[-1] if results else str(number % 3)
    return reply
