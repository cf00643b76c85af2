"""Score scales: enums a language model picks a grade from, and their 0..1 value.

A field typed with one of these enums is an `enum` in the JSON schema, so the
language model can only answer with one of the levels. `normalize_score` maps
any level to a float between 0.0 (the lowest level) and 1.0 (the highest).
"""

import enum


class Score(float, enum.Enum):
    """A grade on 11 levels, from 0.0 to 1.0 in steps of 0.1.

    Example:

    ```python
    class Judgement(synalinks.DataModel):
        relevance: synalinks.Score = synalinks.Field(description="How relevant the answer is")
    ```
    """

    VERY_BAD = 0.0
    POOR = 0.1
    BELOW_AVERAGE = 0.2
    LOW_AVERAGE = 0.3
    MEDIUM_LOW = 0.4
    MEDIUM = 0.5
    MEDIUM_HIGH = 0.6
    ABOVE_AVERAGE = 0.7
    HIGH_AVERAGE = 0.8
    GOOD = 0.9
    VERY_GOOD = 1.0


# 21 levels, 0.0 to 1.0 in steps of 0.05, named by their hundredths.
FineScore = enum.Enum(  # type: ignore[misc]  # members built from a range: mypy cannot list them
    "FineScore",
    {f"SCORE_{hundredths:03d}": round(hundredths / 100, 2) for hundredths in range(0, 101, 5)},
    type=float,
    module=__name__,
)
FineScore.__doc__ = "A grade on 21 levels, from 0.0 to 1.0 in steps of 0.05 (`FineScore.SCORE_085` is 0.85)."

Rating = enum.IntEnum("Rating", {f"RATING_{value}": value for value in range(1, 6)}, module=__name__)  # type: ignore[misc]
Rating.__doc__ = "A Likert rating from 1 (very bad) to 5 (very good)."

Rating10 = enum.IntEnum("Rating10", {f"RATING_{value}": value for value in range(1, 11)}, module=__name__)  # type: ignore[misc]
Rating10.__doc__ = "A rating from 1 (very bad) to 10 (very good)."

Rating20 = enum.IntEnum("Rating20", {f"RATING_{value}": value for value in range(1, 21)}, module=__name__)  # type: ignore[misc]
Rating20.__doc__ = "A rating from 1 (very bad) to 20 (very good)."

SCORE_TYPES = {scale.__name__: scale for scale in (Score, FineScore, Rating, Rating10, Rating20)}


def get_score_type(score_type):
    """Returns the score scale `score_type` names: an enum of numbers, or one of `SCORE_TYPES`' names.

    Example:

    ```python
    assert get_score_type("Rating") is synalinks.Rating
    ```
    """
    if isinstance(score_type, dict):  # a custom scale, as `serialize_score_type` wrote it
        return enum.Enum(score_type["name"], score_type["levels"])
    if isinstance(score_type, str):
        if score_type not in SCORE_TYPES:
            raise ValueError(
                f"Unknown score type {score_type!r}: use one of {sorted(SCORE_TYPES)} or an Enum of numbers."
            )
        return SCORE_TYPES[score_type]
    if isinstance(score_type, type) and issubclass(score_type, enum.Enum):
        values = [member.value for member in score_type]
        if len(values) >= 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return score_type
    raise ValueError(
        f"A score type must be an Enum whose members are numbers (at least two), or one of "
        f"{sorted(SCORE_TYPES)}; got {score_type!r}."
    )


def serialize_score_type(score_type):
    """A JSON form of a scale: its name for the built-in ones, its levels for the others."""
    score_type = get_score_type(score_type)
    if SCORE_TYPES.get(score_type.__name__) is score_type:
        return score_type.__name__
    return {"name": score_type.__name__, "levels": {member.name: member.value for member in score_type}}


def score_values(score_type):
    """The levels of a scale, as plain numbers, lowest first."""
    return sorted(member.value for member in get_score_type(score_type))


def score_json_type(score_type):
    """`"integer"` for a scale of integers, else `"number"`."""
    return "integer" if all(isinstance(value, int) for value in score_values(score_type)) else "number"


def describe_score_type(score_type):
    """The scale in words, for instructions: "an integer between 1 and 5, 1 being very bad and 5 very good"."""
    values = score_values(score_type)
    kind = "an integer" if score_json_type(score_type) == "integer" else "a number"
    low, high = values[0], values[-1]
    return f"{kind} among {values}, {low} being very bad and {high} very good"


def normalize_score(value, score_type):
    """Maps a level of `score_type` to a float between 0.0 and 1.0.

    Example:

    ```python
    assert normalize_score(4, "Rating") == 0.75
    ```
    """
    values = score_values(score_type)
    low, high = values[0], values[-1]
    return round((float(value) - low) / (high - low), 6)
