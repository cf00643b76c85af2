"""MCP tools bring bounded results, clear start-up errors and names providers accept."""

import asyncio
import json
import sys
import textwrap
import time

import pytest

import synalinks
from synalinks.mcp import MCPError
from synalinks.modules.core.tool import MAX_RESULT_CHARS

pytest.importorskip("mcp", reason='MCP tools need the official SDK: pip install -e ".[mcp]"')

SERVER = textwrap.dedent(
    """
    import sys
    try:
        from mcp.server import MCPServer
    except ImportError:  # the SDK's 1.x name
        from mcp.server.fastmcp import FastMCP as MCPServer

    server = MCPServer("bounds")

    @server.tool()
    def big() -> str:
        \"\"\"Returns 5 MB of text.\"\"\"
        return "x" * 5_000_000

    @server.tool(name=sys.argv[1])
    def odd() -> str:
        \"\"\"A tool with an odd name.\"\"\"
        return "odd"

    @server.tool(name="search")
    def search() -> str:
        \"\"\"Searches.\"\"\"
        return sys.argv[2]

    server.run("stdio")
    """
)


def client(tmp_path, odd_name="bad name\\twith\\x07controls" + "z" * 10_000):
    script = tmp_path / "server.py"
    script.write_text(SERVER)
    connection = {"transport": "stdio", "command": sys.executable, "timeout": 60}
    return synalinks.MultiServerMCPClient(
        {
            "docs": {**connection, "args": [str(script), odd_name, "from docs"]},
            "web": {**connection, "args": [str(script), "other", "from web"]},
        }
    )


def test_a_large_mcp_result_is_cut_to_the_cap_with_a_note(tmp_path):
    # 5 MB: the MCP SDK itself takes about a second per MB to receive a result; the cap is the same at 50 MB.
    tools = {tool.name: tool for tool in asyncio.run(client(tmp_path).get_tools(server_name="web"))}
    result = asyncio.run(tools["big"].run({}))
    assert isinstance(result, str) and len(result) < MAX_RESULT_CHARS + 300
    assert result.startswith("x" * 1000) and "The result was cut: it has 5000000 characters" in result


def test_a_50_mb_tool_result_is_cut_and_an_agent_resends_only_the_cut_text(tmp_path):
    def dump() -> str:
        """Returns 50 MB of text."""
        return "y" * 50_000_000

    def reply(messages, schema, index):
        if messages[-1]["role"] == "tool":
            return {"content": "done"}
        return {"tool_calls": [{"id": "c1", "type": "function", "function": {"name": "dump", "arguments": "{}"}}]}

    lm = synalinks.testing.ScriptedLanguageModel(reply_function=reply)
    recorder = synalinks.hooks.record_traces(base_dir=str(tmp_path / "traces"))
    try:
        agent = synalinks.FunctionCallingAgent(tools=[synalinks.Tool(dump)], language_model=lm)
        output = asyncio.run(agent(synalinks.ChatMessages(messages=[{"role": "user", "content": "dump"}])))
    finally:
        synalinks.hooks.clear_global_hooks()
    tool_message = next(m for m in output.get_json()["messages"] if m["role"] == "tool")
    assert len(tool_message["content"]) < MAX_RESULT_CHARS + 300 and "50000000 characters" in tool_message["content"]
    sent = sum(len(json.dumps(request)) for request in lm.requests)
    assert sent < 5 * MAX_RESULT_CHARS, "the model is sent the cut result, not 50 MB"
    traces = sum(path.stat().st_size for path in (tmp_path / "traces").rglob("*") if path.is_file())
    assert 0 < traces < 2_000_000, "traces keep a bounded summary"
    del recorder


def test_tool_names_are_cleaned_and_duplicates_prefixed_with_their_server(tmp_path):
    tools = asyncio.run(client(tmp_path).get_tools())
    names = [tool.name for tool in tools]
    assert len(names) == len(set(names)), names
    assert all(len(name) <= 64 and name.replace("_", "").replace("-", "").isalnum() for name in names), names
    assert {"docs_search", "web_search", "docs_big", "web_big", "other"} <= set(names)
    by_name = {tool.name: tool for tool in tools}
    assert asyncio.run(by_name["docs_search"].run({})) == "from docs", "the server is called with its own name"
    assert asyncio.run(by_name["web_search"].run({})) == "from web"
    odd = next(name for name in names if name.startswith("bad_name"))
    assert asyncio.run(by_name[odd].run({})) == "odd"


def test_a_server_silent_at_start_up_says_what_timed_out(tmp_path):
    silent = tmp_path / "silent.py"
    silent.write_text("import time\ntime.sleep(60)\n")
    quiet = synalinks.MultiServerMCPClient(
        {"quiet": {"transport": "stdio", "command": sys.executable, "args": [str(silent)], "startup_timeout": 1}}
    )
    start = time.monotonic()
    with pytest.raises(MCPError, match=r"'quiet' did not answer `initialize` within 1 s .*startup_timeout"):
        asyncio.run(quiet.get_tools())
    assert time.monotonic() - start < 15
    assert json  # imported for symmetry with the other MCP tests
