from synalinks.trainers.data_adapter import DataAdapter
from synalinks.trainers.trainer import Trainer

__all__ = ["DataAdapter", "Trainer"]
