"""`MultiServerMCPClient`: the tools of MCP servers (stdio and streamable HTTP) as synalinks `Tool`s."""

import asyncio
import contextlib
import json
import os

from synalinks.modules.core.tool import Tool

DEFAULT_STARTUP_TIMEOUT = 10.0  # seconds for a server to start and answer `initialize`
DEFAULT_TOOL_TIMEOUT = 60.0  # seconds for one tool call


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


def _result_value(result):
    """An MCP tool result as a JSON value: its text (parsed when it is JSON), else its structured content
    (which wraps a plain value as `{"result": ...}`); an error as `{"error": ...}`."""
    structured = getattr(result, "structuredContent", None) or getattr(result, "structured_content", None)
    texts = [getattr(item, "text", None) for item in getattr(result, "content", None) or []]
    text = "\n".join(part for part in texts if part)
    if getattr(result, "isError", False) or getattr(result, "is_error", False):
        return {"error": text or "the tool failed"}
    if not text and structured is not None:
        return structured
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
            "weather": {"transport": "streamable_http", "url": "http://127.0.0.1:8000/mcp"},
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
        try:
            async with _transport(server_name, connection) as (read, write):
                async with _mcp().ClientSession(read, write) as session:
                    await asyncio.wait_for(session.initialize(), timeout=startup)
                    yield session
        except MCPError:
            raise
        except TimeoutError as error:
            raise MCPError(f"MCP server {server_name!r} did not answer within {startup} s of starting.") from error
        except BaseException as error:
            if isinstance(error, (asyncio.CancelledError, KeyboardInterrupt)):
                raise
            raise MCPError(f"MCP server {server_name!r}: {_describe(error)}") from error

    async def get_tools(self, *, server_name=None):
        """The tools of one server, or of all of them (in the order of `connections`)."""
        names = [server_name] if server_name is not None else list(self.connections)
        tools = []
        for name in names:
            connection = self._connection(name)
            async with self.session(name) as session:
                listed = await asyncio.wait_for(
                    session.list_tools(), timeout=connection.get("startup_timeout", DEFAULT_STARTUP_TIMEOUT)
                )
            for mcp_tool in listed.tools:
                tools.append(self._tool(name, connection, mcp_tool))
        return tools

    def _tool(self, server_name, connection, mcp_tool):
        client = self
        tool_name = mcp_tool.name
        schema = getattr(mcp_tool, "inputSchema", None) or getattr(mcp_tool, "input_schema", None) or {}

        async def call_mcp_tool(**arguments):
            async with client.session(server_name) as session:
                return _result_value(await session.call_tool(tool_name, arguments))

        return Tool(
            call_mcp_tool,
            name=tool_name,
            description=mcp_tool.description or tool_name,
            timeout=connection.get("timeout", DEFAULT_TOOL_TIMEOUT),
            schema={key: value for key, value in schema.items() if key in ("type", "properties", "required")},
        )


def _describe(error):
    """An exception (an exception group's first leaf) as `Type: message`, with what it likely means."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    text = f"{type(error).__name__}: {error}"
    if "connection closed" in str(error).lower():
        text += " (the server exited or crashed before it answered)"
    return text
