"""Modules that use knowledge bases."""

from synalinks.modules.knowledge.retrieve_knowledge import RetrieveKnowledge

__all__ = ["RetrieveKnowledge"]
