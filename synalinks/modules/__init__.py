from synalinks.modules.action import Action
from synalinks.modules.and_module import And
from synalinks.modules.branch import Branch
from synalinks.modules.chain_of_thought import ChainOfThought
from synalinks.modules.concat import Concat
from synalinks.modules.decision import Decision
from synalinks.modules.function_calling_agent import FunctionCallingAgent
from synalinks.modules.generator import Generator
from synalinks.modules.identity import Identity
from synalinks.modules.in_mask import InMask
from synalinks.modules.input_module import Input, InputModule
from synalinks.modules.lambda_module import Lambda
from synalinks.modules.module import Module, is_symbolic
from synalinks.modules.multi_decision import MultiDecision
from synalinks.modules.node import Node
from synalinks.modules.not_module import Not
from synalinks.modules.or_module import Or
from synalinks.modules.out_mask import OutMask
from synalinks.modules.prompt_template import default_prompt_template
from synalinks.modules.self_critique import SelfCritique
from synalinks.modules.tool import Tool
from synalinks.modules.trace import Trace, current_trace, run_traced
from synalinks.modules.xor_module import Xor

__all__ = [
    "Action",
    "And",
    "Branch",
    "ChainOfThought",
    "Concat",
    "Decision",
    "FunctionCallingAgent",
    "Generator",
    "Identity",
    "InMask",
    "Input",
    "InputModule",
    "Lambda",
    "Module",
    "MultiDecision",
    "Node",
    "Not",
    "Or",
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
