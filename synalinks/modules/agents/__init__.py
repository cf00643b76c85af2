"""Agents: modules that call tools in a loop."""

from synalinks.modules.agents.function_calling_agent import FunctionCallingAgent

__all__ = ["FunctionCallingAgent"]
