"""Modules that use knowledge bases."""

from synalinks.modules.knowledge.retrieve_knowledge import RetrieveKnowledge
from synalinks.modules.knowledge.update_knowledge import UpdateKnowledge

__all__ = ["RetrieveKnowledge", "UpdateKnowledge"]
