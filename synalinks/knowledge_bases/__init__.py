from synalinks.knowledge_bases.database_adapter import DatabaseAdapter
from synalinks.knowledge_bases.duckdb_adapter import DuckDBAdapter
from synalinks.knowledge_bases.knowledge_base import KnowledgeBase
from synalinks.knowledge_bases.knowledge_base_error import KnowledgeBaseError
from synalinks.knowledge_bases.lancedb_adapter import LanceDBAdapter
from synalinks.knowledge_bases.rank_fusion import reciprocal_rank_fusion
from synalinks.knowledge_bases.read_only_sql import ReadOnlySQLError, check_read_only

__all__ = [
    "DatabaseAdapter",
    "DuckDBAdapter",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "LanceDBAdapter",
    "ReadOnlySQLError",
    "check_read_only",
    "reciprocal_rank_fusion",
]
