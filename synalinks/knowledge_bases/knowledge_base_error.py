"""`KnowledgeBaseError`: what a knowledge base refuses, said with what to do instead."""


class KnowledgeBaseError(ValueError):
    """A knowledge base call was given something it cannot store or find: says what and what to do."""
