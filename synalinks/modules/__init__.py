from synalinks.modules.agents.function_calling_agent import FunctionCallingAgent
from synalinks.modules.agents.sql_agent import SQLAgent
from synalinks.modules.agents.vector_rag_agent import VectorRAGAgent
from synalinks.modules.core.action import Action
from synalinks.modules.core.branch import Branch
from synalinks.modules.core.decision import Decision
from synalinks.modules.core.generator import Generator
from synalinks.modules.core.identity import Identity
from synalinks.modules.core.input_module import Input, InputModule
from synalinks.modules.core.json_operation import JsonOperation
from synalinks.modules.core.lambda_module import Lambda
from synalinks.modules.core.multi_decision import MultiDecision
from synalinks.modules.core.not_module import Not
from synalinks.modules.core.prompt_template import default_prompt_template
from synalinks.modules.core.tool import Tool
from synalinks.modules.knowledge.embed_knowledge import EmbedKnowledge
from synalinks.modules.knowledge.retrieve_knowledge import RetrieveKnowledge
from synalinks.modules.knowledge.text2sql import Text2SQL
from synalinks.modules.knowledge.update_knowledge import UpdateKnowledge
from synalinks.modules.masking.in_mask import InMask
from synalinks.modules.masking.out_mask import OutMask
from synalinks.modules.merging.and_module import And
from synalinks.modules.merging.concat import Concat, Concatenate
from synalinks.modules.merging.or_module import Or
from synalinks.modules.merging.xor_module import Xor
from synalinks.modules.module import Module, is_symbolic
from synalinks.modules.node import Node
from synalinks.modules.rerankers.rrf_reranker import RRFReranker
from synalinks.modules.retrievers import (
    FullTextSearch,
    HybridFTSSearch,
    HybridSearch,
    KnowledgeSearch,
    RegexSearch,
    SimilaritySearch,
)
from synalinks.modules.trace import Trace, current_trace, run_traced
from synalinks.modules.ttc.chain_of_thought import ChainOfThought
from synalinks.modules.ttc.self_critique import SelfCritique

__all__ = [
    "Action",
    "And",
    "Branch",
    "ChainOfThought",
    "Concat",
    "Concatenate",
    "Decision",
    "EmbedKnowledge",
    "FullTextSearch",
    "HybridFTSSearch",
    "HybridSearch",
    "KnowledgeSearch",
    "RegexSearch",
    "RRFReranker",
    "SimilaritySearch",
    "SQLAgent",
    "Text2SQL",
    "VectorRAGAgent",
    "FunctionCallingAgent",
    "Generator",
    "Identity",
    "InMask",
    "Input",
    "InputModule",
    "JsonOperation",
    "Lambda",
    "Module",
    "MultiDecision",
    "Node",
    "Not",
    "Or",
    "RetrieveKnowledge",
    "UpdateKnowledge",
    "OutMask",
    "default_prompt_template",
    "SelfCritique",
    "Tool",
    "Trace",
    "Xor",
    "current_trace",
    "is_symbolic",
    "run_traced",
]
