"""W8's task: short movie reviews, each to be given one of two arbitrary codes
("zorp" for a positive review, "blick" for a negative one) that the
instructions never explain: only examples can teach them. 20 training and 20
validation reviews, label-balanced."""

import numpy as np

import synalinks

POSITIVE = [
    "A warm, funny film that I would happily watch again.",
    "Gorgeous photography and a moving score.",
    "The cast is brilliant and the story kept me hooked.",
    "I loved every minute of it.",
    "A delightful surprise with a big heart.",
    "Smart, touching and beautifully acted.",
    "The best comedy I have seen this year.",
    "Charming from start to finish.",
    "An uplifting story told with real care.",
    "Wonderful performances all around.",
    "A joyful ride that left me smiling.",
    "Clever writing and great chemistry.",
    "Fresh, fun and full of life.",
    "A moving tribute that earns its tears.",
    "Stunning visuals and a gripping plot.",
    "I laughed, I cried, I want to see it again.",
    "A masterpiece of quiet emotion.",
    "Sharp dialogue and a lovely ending.",
    "Thrilling action and a likeable hero.",
    "A beautiful film about friendship.",
]
NEGATIVE = [
    "The plot made no sense and the acting was wooden.",
    "Dull, slow and far too long.",
    "I walked out halfway through.",
    "A lazy script full of clichés.",
    "The jokes fall flat and the pacing drags.",
    "Ugly to look at and painful to sit through.",
    "A boring mess with no redeeming qualities.",
    "The worst film I have seen in years.",
    "Terrible dialogue and a silly ending.",
    "Predictable, loud and empty.",
    "I regret paying for this ticket.",
    "The characters are flat and annoying.",
    "A confusing story that goes nowhere.",
    "Badly edited and badly acted.",
    "Tedious from the first scene to the last.",
    "A waste of a talented cast.",
    "Cheap effects and a lifeless plot.",
    "Nothing works in this film.",
    "The sound was awful and the story worse.",
    "A dreary, joyless slog.",
]
CODES = {"positive": "zorp", "negative": "blick"}


class Review(synalinks.DataModel):
    review: str = synalinks.Field(description="A short movie review")


class Code(synalinks.DataModel):
    code: str = synalinks.Field(description="The code of the review")


def load_data():
    """`(x_train, y_train), (x_val, y_val)`: every other review goes to validation."""
    pairs = [(text, "positive") for text in POSITIVE] + [(text, "negative") for text in NEGATIVE]
    train = [p for i, p in enumerate(pairs) if i % 2 == 0]
    test = [p for i, p in enumerate(pairs) if i % 2 == 1]

    def arrays(rows):
        x = np.array([Review(review=t) for t, _ in rows], dtype=object)
        y = np.array([Code(code=CODES[label]) for _, label in rows], dtype=object)
        return x, y

    return arrays(train), arrays(test)


def program(language_model):
    """`Input(Review) -> Generator(Code)`, instructed only to "give the code"."""
    return synalinks.Sequential(
        [
            synalinks.Input(data_model=Review),
            synalinks.Generator(
                data_model=Code, language_model=language_model, instructions="Give the code of the review."
            ),
        ],
        name="codes",
    )
