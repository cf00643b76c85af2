from synalinks.modules.and_module import And
from synalinks.modules.concat import Concat
from synalinks.modules.generator import Generator
from synalinks.modules.input_module import Input, InputModule
from synalinks.modules.module import Module, is_symbolic
from synalinks.modules.node import Node
from synalinks.modules.trace import Trace, current_trace, run_traced

__all__ = [
    "And",
    "Concat",
    "Generator",
    "Input",
    "InputModule",
    "Module",
    "Node",
    "Trace",
    "current_trace",
    "is_symbolic",
    "run_traced",
]
