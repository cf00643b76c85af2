from synalinks.callbacks.callback import Callback
from synalinks.callbacks.callback_list import CallbackList
from synalinks.callbacks.history import History
from synalinks.callbacks.progbar_logger import ProgbarLogger
from synalinks.callbacks.program_checkpoint import ProgramCheckpoint

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger", "ProgramCheckpoint"]
