"""How to ask each provider for JSON that follows a schema."""

# Providers whose servers honour a JSON-schema `response_format` even when
# litellm's price list does not know the model (local and self-hosted servers).
_SCHEMA_PROVIDERS = frozenset({"openai", "ollama", "ollama_chat", "hosted_vllm", "vllm", "lm_studio", "gemini"})

TOOL_NAME = "give_answer"


def choose_mode(litellm_model):
    """`"json_schema"` where the provider supports schema-constrained replies, else `"tool"`."""
    provider = litellm_model.split("/", 1)[0]
    try:
        import litellm

        if litellm.supports_response_schema(model=litellm_model):
            return "json_schema"
    except Exception:  # an unknown model: decide by provider
        pass
    return "json_schema" if provider in _SCHEMA_PROVIDERS else "tool"


def request_arguments(schema, mode):
    """The litellm arguments that ask for `schema` in the given mode."""
    if schema is None or mode == "none":
        return {}
    name = schema.get("title") or "Output"
    if mode == "json_schema":
        return {"response_format": {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}}
    if mode == "tool":
        function = {"name": TOOL_NAME, "description": f"Give the answer as {name}.", "parameters": schema}
        return {
            "tools": [{"type": "function", "function": function}],
            "tool_choice": {"type": "function", "function": {"name": TOOL_NAME}},
        }
    raise ValueError(f"Unknown structured output mode {mode!r}: use 'auto', 'json_schema', 'tool' or 'none'.")
