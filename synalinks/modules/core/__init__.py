"""Core modules: generation, decisions, branches, tools, the input."""

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

__all__ = [
    "JsonOperation",
    "Action",
    "Branch",
    "Decision",
    "Generator",
    "Identity",
    "Input",
    "InputModule",
    "Lambda",
    "MultiDecision",
    "Not",
    "Tool",
    "default_prompt_template",
]
