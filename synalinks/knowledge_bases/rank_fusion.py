"""Reciprocal rank fusion: several ranked lists into one, by rank alone (their scores need not compare)."""


def reciprocal_rank_fusion(ranked_lists, identity, k_rank=60, k=None):
    """Fuses ranked lists of rows: a row scores the sum over lists of `1 / (k_rank + rank)` (rank from 1).

    Args:
        ranked_lists: Lists of rows (dicts), best first.
        identity: A function giving the value that says two rows are the same.
        k_rank: The smoothing constant: lower values favour the top ranks more.
        k: The most rows returned (all when None).

    Returns:
        `(row, score)` pairs, best first; a row found in several lists keeps
        its first version, updated with the later ones' fields.
    """
    scores, rows = {}, {}
    for ranked in ranked_lists:
        for rank, row in enumerate(ranked, start=1):
            key = identity(row)
            scores[key] = scores.get(key, 0.0) + 1.0 / (k_rank + rank)
            if key in rows:
                rows[key] = {**row, **rows[key]}
            else:
                rows[key] = dict(row)
    order = sorted(scores, key=lambda key: -scores[key])
    return [(rows[key], scores[key]) for key in order[:k]]
