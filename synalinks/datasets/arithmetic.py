"""Arithmetic word problems with whole-number answers.

The problems are generated for this project from templates and a fixed seed
(so every install has the same data) and are released with it under its
licence (Apache-2.0). No download.

Example:

```python
(x_train, y_train), (x_test, y_test) = synalinks.datasets.arithmetic.load_data()
x_train[0].get_json()  # {"problem": "Chloe has 13 books and buys 3 more. How many books does Chloe have?"}
y_train[0].get_json()  # {"answer": 16}
```
"""

import random

from synalinks.data_models.data_model import DataModel
from synalinks.data_models.field import Field
from synalinks.datasets.arrays import as_arrays


class Problem(DataModel):
    problem: str = Field(description="An arithmetic word problem")


class NumericAnswer(DataModel):
    answer: int = Field(description="The answer, a whole number")


INSTRUCTIONS = "Solve the arithmetic word problem. Answer with the number only."

_NAMES = ["Ana", "Ben", "Chloe", "Dev", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jon"]
_THINGS = ["apples", "books", "stamps", "marbles", "pencils", "cookies", "shells", "cards"]
_TEMPLATES = [
    ("{name} has {a} {thing} and buys {b} more. How many {thing} does {name} have?", lambda a, b: a + b),
    ("{name} had {a} {thing} and gave away {b}. How many {thing} are left?", lambda a, b: a - b),
    ("{name} packs {a} boxes with {b} {thing} in each. How many {thing} in all?", lambda a, b: a * b),
    ("{name} shares {a} {thing} equally among {b} friends. How many does each friend get?", lambda a, b: a // b),
]


def _problems(count, seed):
    rng = random.Random(seed)
    pairs = []
    for index in range(count):
        template, solve = _TEMPLATES[index % len(_TEMPLATES)]
        name, thing = rng.choice(_NAMES), rng.choice(_THINGS)
        if index % len(_TEMPLATES) == 3:
            b = rng.randint(2, 6)
            a = b * rng.randint(2, 9)
        else:
            a, b = rng.randint(5, 30), rng.randint(2, 9)
        text = template.format(name=name, thing=thing, a=a, b=b)
        pairs.append((Problem(problem=text), NumericAnswer(answer=solve(a, b))))
    return pairs


def load_data(train_size=40, test_size=20):
    """Returns `(x_train, y_train), (x_test, y_test)` as numpy object arrays of data models."""
    return as_arrays(_problems(train_size, seed=1)), as_arrays(_problems(test_size, seed=2))
