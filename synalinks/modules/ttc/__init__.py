"""Test-time compute: modules that think or critique before answering."""

from synalinks.modules.ttc.chain_of_thought import ChainOfThought
from synalinks.modules.ttc.self_critique import SelfCritique

__all__ = ["ChainOfThought", "SelfCritique"]
