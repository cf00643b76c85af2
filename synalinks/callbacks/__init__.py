from synalinks.callbacks.backup_and_restore import BackupAndRestore
from synalinks.callbacks.callback import Callback
from synalinks.callbacks.callback_list import CallbackList
from synalinks.callbacks.csv_logger import CSVLogger
from synalinks.callbacks.early_stopping import EarlyStopping
from synalinks.callbacks.history import History
from synalinks.callbacks.lambda_callback import LambdaCallback
from synalinks.callbacks.monitor import Monitor
from synalinks.callbacks.monitor_callback import MonitorCallback
from synalinks.callbacks.progbar_logger import ProgbarLogger
from synalinks.callbacks.program_checkpoint import ProgramCheckpoint
from synalinks.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "BackupAndRestore",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "Monitor",
    "MonitorCallback",
    "ProgbarLogger",
    "ProgramCheckpoint",
    "TerminateOnNaN",
]
