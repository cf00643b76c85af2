"""A small sentiment task: is a short movie review positive or negative?

The reviews were written for this project and are released with it under its
licence (Apache-2.0). No download: the data lives in this file.

Example:

```python
(x_train, y_train), (x_test, y_test) = synalinks.datasets.sentiment.load_data()
x_train[0].get_json()  # {"review": "..."}
y_train[0].get_json()  # {"sentiment": "positive"}
```
"""

from synalinks.data_models.data_model import DataModel
from synalinks.data_models.field import Field
from synalinks.datasets.arrays import as_arrays


class Review(DataModel):
    review: str = Field(description="A short movie review")


class Sentiment(DataModel):
    sentiment: str = Field(description="The sentiment of the review: 'positive' or 'negative'")


INSTRUCTIONS = "Classify the sentiment of the movie review as 'positive' or 'negative'."

TRAIN = [
    ("A warm, funny film that I would happily watch again.", "positive"),
    ("The plot made no sense and the acting was wooden.", "negative"),
    ("Gorgeous photography and a moving score.", "positive"),
    ("I walked out halfway through; it was that dull.", "negative"),
    ("The cast is superb and the ending is perfect.", "positive"),
    ("Two hours of my life I will never get back.", "negative"),
    ("Clever, tender and beautifully acted.", "positive"),
    ("Loud, messy and painfully long.", "negative"),
    ("My kids adored it and so did I.", "positive"),
    ("The jokes fall flat and the story drags.", "negative"),
    ("A delightful surprise from start to finish.", "positive"),
    ("Cheap sets, bad dialogue, no suspense at all.", "negative"),
    ("One of the best thrillers of the decade.", "positive"),
    ("I fell asleep twice. Boring.", "negative"),
    ("The lead actor gives a wonderful performance.", "positive"),
    ("A lazy sequel that ruins the original.", "negative"),
]

TEST = [
    ("An absolute joy, full of heart.", "positive"),
    ("Terrible script and even worse acting.", "negative"),
    ("I laughed and cried; a wonderful movie.", "positive"),
    ("It was a waste of time and money.", "negative"),
    ("Brilliant direction and a great story.", "positive"),
    ("The worst film I have seen this year.", "negative"),
    ("Charming, smart and very entertaining.", "positive"),
    ("Dull characters and a predictable plot.", "negative"),
    ("A masterpiece that deserves every award.", "positive"),
    ("I regret buying a ticket for this mess.", "negative"),
    ("Fun, fast and beautifully made.", "positive"),
    ("Painfully slow and completely forgettable.", "negative"),
    ("The music and the acting are outstanding.", "positive"),
    ("A boring, confusing disaster.", "negative"),
    ("I enjoyed every single scene.", "positive"),
    ("Nothing works in this awful film.", "negative"),
    ("A touching story told with great care.", "positive"),
    ("The dialogue is cringeworthy and the pacing is awful.", "negative"),
    ("Highly recommended, a real treat.", "positive"),
    ("Ugly, stupid and far too long.", "negative"),
]


def _arrays(rows):
    return as_arrays([(Review(review=text), Sentiment(sentiment=label)) for text, label in rows])


def load_data():
    """Returns `(x_train, y_train), (x_test, y_test)` as numpy object arrays of data models."""
    return _arrays(TRAIN), _arrays(TEST)
