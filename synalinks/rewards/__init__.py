from synalinks.rewards.exact_match import ExactMatch, exact_match
from synalinks.rewards.reward import Reward
from synalinks.rewards.reward_function_wrapper import RewardFunctionWrapper

__all__ = ["ExactMatch", "Reward", "RewardFunctionWrapper", "exact_match"]
