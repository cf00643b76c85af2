from synalinks.language_models.language_model import LanguageModel, LanguageModelError
from synalinks.language_models.reply_parsing import LanguageModelReplyError, parse_json_reply, reply_content

__all__ = ["LanguageModel", "LanguageModelError", "LanguageModelReplyError", "parse_json_reply", "reply_content"]
