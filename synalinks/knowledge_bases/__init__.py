from synalinks.knowledge_bases.knowledge_base import KnowledgeBase, KnowledgeBaseError

__all__ = ["KnowledgeBase", "KnowledgeBaseError"]
