from synalinks.rewards.batch_reward import BatchReward
from synalinks.rewards.batch_reward_function_wrapper import BatchRewardFunctionWrapper
from synalinks.rewards.cosine_similarity import CosineSimilarity
from synalinks.rewards.exact_match import ExactMatch, exact_match
from synalinks.rewards.lm_as_judge import LMAsJudge
from synalinks.rewards.program_as_judge import ProgramAsJudge
from synalinks.rewards.reward import Reward
from synalinks.rewards.reward_function_wrapper import RewardFunctionWrapper
from synalinks.rewards.reward_lookup import deserialize, get, serialize

__all__ = [
    "BatchReward",
    "BatchRewardFunctionWrapper",
    "CosineSimilarity",
    "ExactMatch",
    "LMAsJudge",
    "ProgramAsJudge",
    "Reward",
    "RewardFunctionWrapper",
    "deserialize",
    "exact_match",
    "get",
    "serialize",
]
