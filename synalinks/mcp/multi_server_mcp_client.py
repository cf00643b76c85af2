"""`MultiServerMCPClient`: the tools of MCP servers (stdio and streamable HTTP) as synalinks `Tool`s."""

import asyncio
import contextlib
import json
import os
import re

from synalinks.modules.core.tool import MAX_RESULT_CHARS, Tool, capped_result

DEFAULT_STARTUP_TIMEOUT = 10.0  # seconds for a server to start and answer `initialize`
DEFAULT_TOOL_TIMEOUT = 60.0  # seconds for one tool call
MAX_TOOL_NAME = 64  # the providers' limit on a tool's name
MAX_DESCRIPTION_CHARS = 2_000
_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]+")


class MCPError(RuntimeError):
    """An MCP server could not be reached, started, or answered: says which and why."""


def _mcp():
    try:
        import mcp
    except ImportError as error:
        raise ImportError('MCP tools need the official SDK: pip install "synalinks[mcp]" (mcp).') from error
    return mcp


@contextlib.asynccontextmanager
async def _transport(name, connection):
    """The (read, write) streams of one connection."""
    transport = connection.get("transport", "stdio" if "command" in connection else "streamable_http")
    if transport == "stdio":
        from mcp.client.stdio import stdio_client

        if "command" not in connection:
            raise MCPError(f"MCP server {name!r}: a stdio connection needs a `command` (and its `args`).")
        parameters = _mcp().StdioServerParameters(
            command=connection["command"],
            args=list(connection.get("args", [])),
            env={**os.environ, **connection["env"]} if connection.get("env") else None,
            cwd=connection.get("cwd"),
        )
        async with stdio_client(parameters) as streams:
            yield streams[0], streams[1]
    elif transport in ("streamable_http", "http"):
        try:
            from mcp.client.streamable_http import streamable_http_client as http_client
        except ImportError:  # the SDK's 1.x name
            from mcp.client.streamable_http import streamablehttp_client as http_client
        if "url" not in connection:
            raise MCPError(f"MCP server {name!r}: a streamable_http connection needs a `url`.")
        async with http_client(connection["url"]) as streams:
            yield streams[0], streams[1]
    else:
        raise MCPError(f"MCP server {name!r}: unknown transport {transport!r}; use 'stdio' or 'streamable_http'.")


def _result_value(result, max_chars=MAX_RESULT_CHARS):
    """An MCP tool result as a JSON value: its text (parsed when it is JSON), else its structured content
    (which wraps a plain value as `{"result": ...}`); an error as `{"error": ...}`. A text longer than
    `max_chars` is not parsed: `Tool.run` cuts it, with a note for the model."""
    structured = getattr(result, "structuredContent", None) or getattr(result, "structured_content", None)
    texts = [getattr(item, "text", None) for item in getattr(result, "content", None) or []]
    text = "\n".join(part for part in texts if part)
    if getattr(result, "isError", False) or getattr(result, "is_error", False):
        return {"error": capped_result(text, max_chars) or "the tool failed"}
    if not text and structured is not None:
        return structured
    if max_chars is not None and len(text) > max_chars:
        return text  # not parsed: `Tool.run` cuts it and tells the model
    try:
        return json.loads(text)
    except (json.JSONDecodeError, TypeError):
        return text


class MultiServerMCPClient:
    """Connects to MCP servers and gives their tools as synalinks `Tool`s, for agents and Generators.

    Each tool call opens its own session (a stdio server is started for it),
    so a server that died is started again at the next call. A server that
    does not start (a wrong command, a closed port) raises `MCPError` from
    `get_tools`; during a call, a server that dies, hangs past the
    connection's `timeout` or answers with an error gives the model an
    `{"error": ...}` tool result, never a hung program.

    Tool names are given to the model as providers accept them: characters
    other than letters, digits, `_` and `-` become `_`, at most 64 of them,
    and a name that several servers use is prefixed with each server's name
    (`weather_search`, `docs_search`); the server is still called with its
    own name. A result longer than the tool's `max_result_chars` (50,000) is
    cut, with a note for the model.

    Args:
        connections: `{server name: connection}`; a connection is
            `{"transport": "stdio", "command": ..., "args": [...], "env": {...}, "cwd": ...}`
            or `{"transport": "streamable_http", "url": "http://127.0.0.1:8000/mcp"}`, each with
            optional `timeout` (seconds per tool call, 60) and `startup_timeout` (10).

    Example:

    ```python
    client = synalinks.MultiServerMCPClient(
        {
            "math": {"transport": "stdio", "command": "python", "args": ["math_server.py"]},
            }
    )
    tools = await client.get_tools()
    agent = synalinks.FunctionCallingAgent(tools=tools, language_model=lm)
    ```
    """

    def __init__(self, connections=None):
        self.connections = dict(connections or {})
        for name, connection in self.connections.items():
            if not isinstance(connection, dict):
                raise TypeError(f"MCP server {name!r}: a connection is a dict, got {type(connection).__name__}.")

    def _connection(self, server_name):
        if server_name not in self.connections:
            raise ValueError(f"There is no MCP server {server_name!r}; the servers are {sorted(self.connections)}.")
        return self.connections[server_name]

    @contextlib.asynccontextmanager
    async def session(self, server_name):
        """An initialized `mcp.ClientSession` with one server (started for it when stdio)."""
        connection = self._connection(server_name)
        startup = connection.get("startup_timeout", DEFAULT_STARTUP_TIMEOUT)
        started = False
        try:
            async with _transport(server_name, connection) as (read, write):
                async with _mcp().ClientSession(read, write) as session:
                    await asyncio.wait_for(session.initialize(), timeout=startup)
                    started = True
                    yield session
        except MCPError:
            raise
        except BaseException as error:
            if isinstance(error, (asyncio.CancelledError, KeyboardInterrupt, GeneratorExit)):
                raise
            if isinstance(_leaf(error), TimeoutError) and not started:
                raise MCPError(
                    f"MCP server {server_name!r} did not answer `initialize` within {startup:g} s of starting "
                    "(startup_timeout): check its command or URL, or give it a larger startup_timeout."
                ) from error
            raise MCPError(f"MCP server {server_name!r}: {_describe(error)}") from error

    async def get_tools(self, *, server_name=None):
        """The tools of one server, or of all of them (in the order of `connections`)."""
        names = [server_name] if server_name is not None else list(self.connections)
        listed_by_server = []
        for name in names:
            connection = self._connection(name)
            timeout = connection.get("startup_timeout", DEFAULT_STARTUP_TIMEOUT)
            async with self.session(name) as session:
                try:
                    listed = await asyncio.wait_for(session.list_tools(), timeout=timeout)
                except TimeoutError:
                    raise MCPError(
                        f"MCP server {name!r} started but did not list its tools within {timeout:g} s "
                        "(startup_timeout)."
                    ) from None
            listed_by_server.append((name, connection, listed.tools))
        seen = {}
        for name, _, listed in listed_by_server:
            for mcp_tool in listed:
                seen.setdefault(tool_name_for(mcp_tool.name), set()).add(name)
        tools, taken = [], set()
        for name, connection, listed in listed_by_server:
            for mcp_tool in listed:
                exposed = tool_name_for(mcp_tool.name)
                if len(seen[exposed]) > 1 or exposed in taken:  # the same name on several servers
                    exposed = tool_name_for(f"{name}_{mcp_tool.name}")
                    suffix = 2
                    while exposed in taken:
                        exposed, suffix = tool_name_for(f"{name}_{mcp_tool.name}")[:60] + f"_{suffix}", suffix + 1
                taken.add(exposed)
                tools.append(self._tool(name, connection, mcp_tool, exposed))
        return tools

    def _tool(self, server_name, connection, mcp_tool, exposed_name):
        client = self
        tool_name = mcp_tool.name  # the server's own name, used to call it
        schema = getattr(mcp_tool, "inputSchema", None) or getattr(mcp_tool, "input_schema", None) or {}

        async def call_mcp_tool(**arguments):
            async with client.session(server_name) as session:
                return _result_value(await session.call_tool(tool_name, arguments))

        return Tool(
            call_mcp_tool,
            name=exposed_name,
            description=str(mcp_tool.description or exposed_name)[:MAX_DESCRIPTION_CHARS],
            timeout=connection.get("timeout", DEFAULT_TOOL_TIMEOUT),
            schema={key: value for key, value in schema.items() if key in ("type", "properties", "required")},
        )


def tool_name_for(name):
    """A server's tool name as providers accept it: letters, digits, `_` and `-` (others become `_`), at
    most 64 characters, never empty."""
    cleaned = _NAME_CHARACTERS.sub("_", str(name)).strip("_")[:MAX_TOOL_NAME]
    return cleaned or "tool"


def _leaf(error):
    """An exception group's first leaf (anyio task groups wrap the errors of MCP's transports)."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error


def _describe(error):
    """An exception (an exception group's first leaf) as `Type: message`, with what it likely means."""
    error = _leaf(error)
    text = f"{type(error).__name__}: {error}" if str(error) else f"{type(error).__name__} (no message)"
    if "connection closed" in str(error).lower():
        text += " (the server exited or crashed before it answered)"
    return text
