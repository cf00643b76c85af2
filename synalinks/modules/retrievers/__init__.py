from synalinks.modules.retrievers.fulltext_search import FullTextSearch
from synalinks.modules.retrievers.hybrid_fts_search import HybridFTSSearch, HybridSearch
from synalinks.modules.retrievers.knowledge_search import KnowledgeSearch
from synalinks.modules.retrievers.regex_search import RegexSearch
from synalinks.modules.retrievers.similarity_search import SimilaritySearch

__all__ = ["FullTextSearch", "HybridFTSSearch", "HybridSearch", "KnowledgeSearch", "RegexSearch", "SimilaritySearch"]
