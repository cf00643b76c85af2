"""`RRFReranker`: several search results fused into one ranking by reciprocal rank."""

import json

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.knowledge_bases.rank_fusion import reciprocal_rank_fusion
from synalinks.modules.module import Module
from synalinks.modules.retrievers.knowledge_search import result_schema
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.checks import check_positive_int


@register_synalinks_serializable(package="synalinks")
class RRFReranker(Module):
    """Fuses the `result` lists of several searches (similarity, full text,
    regex, ...) by reciprocal rank: a row scores the sum over lists of
    `1 / (k_rank + rank)`, so lists whose scores do not compare still merge.
    The fused score is written on each row as `rrf_score`; missing (None)
    inputs are skipped.

    Args:
        k_rank: The smoothing constant: lower values favour the top ranks (60).
        k: The most rows returned (all when None).
        id_key: The field that says two rows are the same record (default:
            the whole row).
        name, description, trainable: As for every module.

    Example:

    ```python
    similar = await synalinks.SimilaritySearch(knowledge_base=kb, language_model=lm, data_model=Document)(inputs)
    matching = await synalinks.FullTextSearch(knowledge_base=kb, language_model=lm, data_model=Document)(inputs)
    fused = await synalinks.RRFReranker(k=10, id_key="id")([similar, matching])
    ```
    """

    def __init__(self, *, k_rank=60, k=None, id_key=None, name=None, description=None, trainable=False):
        super().__init__(name=name, description=description, trainable=trainable)
        check_positive_int(k_rank, "k_rank")
        check_positive_int(k, "k", allow_none=True)
        self.k_rank = k_rank
        self.k = k
        self.id_key = id_key

    def _identity(self, row):
        if self.id_key is not None and self.id_key in row:
            return row[self.id_key]
        return json.dumps({key: value for key, value in row.items() if key != "score"}, sort_keys=True, default=str)

    async def call(self, inputs, training=False):
        results = [value for value in (inputs if isinstance(inputs, (list, tuple)) else [inputs]) if value is not None]
        lists = [value.get("result") for value in results if isinstance(value.get("result"), list)]
        if not lists:
            return None
        fused = [
            {**row, "rrf_score": score}
            for row, score in reciprocal_rank_fusion(lists, self._identity, k_rank=self.k_rank, k=self.k)
        ]
        return JsonDataModel(schema=result_schema("json"), json={"result": fused}, name=self.name)

    def compute_output_spec(self, inputs):
        return SymbolicDataModel(schema=result_schema("json"), name=self.name)

    def get_config(self):
        return {**super().get_config(), "k_rank": self.k_rank, "k": self.k, "id_key": self.id_key}
