from synalinks.modules.rerankers.rrf_reranker import RRFReranker

__all__ = ["RRFReranker"]
