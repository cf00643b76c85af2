from synalinks.mcp.multi_server_mcp_client import MCPError, MultiServerMCPClient

__all__ = ["MCPError", "MultiServerMCPClient"]
