from synalinks.programs.functional import Functional
from synalinks.programs.program import Program
from synalinks.programs.program_files import (
    load_program,
    load_variables,
    program_from_json,
    save_program,
    save_variables,
)
from synalinks.programs.sequential import Sequential

__all__ = [
    "Functional",
    "Program",
    "Sequential",
    "load_program",
    "load_variables",
    "program_from_json",
    "save_program",
    "save_variables",
]
