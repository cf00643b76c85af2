"""MultiServerMCPClient against MCP servers written here (stdio, and streamable HTTP on 127.0.0.1)."""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest

import synalinks
from synalinks.mcp import MCPError
from synalinks.testing import ScriptedLanguageModel

pytest.importorskip("mcp", reason='MCP tools need the official SDK: pip install -e ".[mcp]"')

SERVER = textwrap.dedent(
    """
    import os, sys, time
    try:
        from mcp.server import MCPServer
    except ImportError:  # the SDK's 1.x name
        from mcp.server.fastmcp import FastMCP as MCPServer

    server = MCPServer("test-tools")

    @server.tool()
    def add(a: int, b: int) -> int:
        \"\"\"Adds two integers.\"\"\"
        return a + b

    @server.tool()
    def slow(seconds: float) -> str:
        \"\"\"Sleeps, then says so.\"\"\"
        time.sleep(seconds)
        return "slept"

    @server.tool()
    def die() -> str:
        \"\"\"Kills the server in the middle of the call.\"\"\"
        os._exit(3)

    if sys.argv[1] == "stdio":
        server.run("stdio")
    else:
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    """
)


@pytest.fixture
def server_script(tmp_path):
    path = tmp_path / "tools_server.py"
    path.write_text(SERVER)
    return str(path)


def stdio_client(script, **options):
    return synalinks.MultiServerMCPClient(
        {"tools": {"transport": "stdio", "command": sys.executable, "args": [script, "stdio"], **options}}
    )


def test_stdio_tools_are_listed_called_and_used_by_an_agent(server_script):
    client = stdio_client(server_script)
    tools = asyncio.run(client.get_tools())
    assert [tool.name for tool in tools] == ["add", "slow", "die"]
    add = tools[0]
    assert add.get_schema()["required"] == ["a", "b"] and add.get_schema()["properties"]["a"]["type"] == "integer"
    assert asyncio.run(add.run({"a": 2, "b": 40})) == 42
    assert "invalid arguments" in asyncio.run(add.run({"a": "two", "b": 1}))["error"], "checked before the call"

    def reply(messages, schema, index):
        if messages[-1]["role"] == "tool":
            return {"content": f"It is {messages[-1]['content']}."}
        call = {
            "id": "c1",
            "type": "function",
            "function": {"name": "add", "arguments": json.dumps({"a": 20, "b": 22})},
        }
        return {"tool_calls": [call]}

    agent = synalinks.FunctionCallingAgent(tools=tools, language_model=ScriptedLanguageModel(reply_function=reply))
    output = asyncio.run(agent(synalinks.ChatMessages(messages=[{"role": "user", "content": "20 + 22?"}])))
    assert output.get_json()["messages"][-1]["content"] == "It is 42."


def test_a_server_that_dies_or_hangs_mid_call_gives_a_clear_result(server_script):
    tools = {tool.name: tool for tool in asyncio.run(stdio_client(server_script, timeout=3).get_tools())}
    start = time.monotonic()
    died = asyncio.run(tools["die"].run({}))
    assert "error" in died and "tools" in died["error"], died
    hung = asyncio.run(tools["slow"].run({"seconds": 30}))
    assert "did not answer within 3 s" in hung["error"]
    assert time.monotonic() - start < 20, "never a hung program"
    assert asyncio.run(tools["add"].run({"a": 1, "b": 1})) == 2, "the next call starts the server again"


def test_a_server_that_does_not_start_raises_a_clear_error(tmp_path):
    client = synalinks.MultiServerMCPClient(
        {"broken": {"transport": "stdio", "command": str(tmp_path / "no-such-server")}}
    )
    with pytest.raises(MCPError, match="MCP server 'broken'"):
        asyncio.run(client.get_tools())
    with pytest.raises(ValueError, match="no MCP server 'other'"):
        asyncio.run(client.get_tools(server_name="other"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_streamable_http_tools_and_a_server_killed_mid_call(server_script):
    port = free_port()
    process = subprocess.Popen([sys.executable, server_script, "http", str(port)], stderr=subprocess.DEVNULL)
    try:
        client = synalinks.MultiServerMCPClient(
            {"web": {"transport": "streamable_http", "url": f"http://127.0.0.1:{port}/mcp", "timeout": 10}}
        )
        for _ in range(100):  # the server starts
            try:
                tools = {tool.name: tool for tool in asyncio.run(client.get_tools())}
                break
            except MCPError:
                time.sleep(0.1)
        assert asyncio.run(tools["add"].run({"a": 5, "b": 6})) == 11

        def reply(messages, schema, index):
            if messages[-1]["role"] == "tool":
                return {"content": f"It is {messages[-1]['content']}."}
            arguments = json.dumps({"a": 5, "b": 6})
            return {
                "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "add", "arguments": arguments}}]
            }

        agent = synalinks.FunctionCallingAgent(
            tools=list(tools.values()), language_model=ScriptedLanguageModel(reply_function=reply)
        )
        conversation = synalinks.ChatMessages(messages=[{"role": "user", "content": "5 + 6?"}])
        assert asyncio.run(agent(conversation)).get_json()["messages"][-1]["content"] == "It is 11."

        async def call_then_kill():
            call = asyncio.ensure_future(tools["slow"].run({"seconds": 30}))
            await asyncio.sleep(1.0)
            os.kill(process.pid, signal.SIGKILL)
            return await call

        start = time.monotonic()
        result = asyncio.run(call_then_kill())
        assert "error" in result and time.monotonic() - start < 15, result
    finally:
        process.kill()
        process.wait()
