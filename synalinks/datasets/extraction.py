"""Field extraction: turn a short order message into structured JSON.

The messages were written for this project and are released with it under
its licence (Apache-2.0). No download.

Example:

```python
(x_train, y_train), (x_test, y_test) = synalinks.datasets.extraction.load_data()
x_train[0].get_json()  # {"message": "Hi, please send 3 blue mugs to Lyon."}
y_train[0].get_json()  # {"quantity": 3, "color": "blue", "item": "mug", "city": "Lyon"}
```
"""

from synalinks.data_models.data_model import DataModel
from synalinks.data_models.field import Field
from synalinks.datasets.arrays import as_arrays


class Message(DataModel):
    message: str = Field(description="A customer's order message")


class Order(DataModel):
    quantity: int = Field(description="How many items are ordered")
    color: str = Field(description="The items' color, in lower case")
    item: str = Field(description="The item, singular and in lower case")
    city: str = Field(description="The delivery city")


INSTRUCTIONS = "Extract the order from the customer's message."

_ROWS = [
    ("Hi, please send 3 blue mugs to Lyon.", 3, "blue", "mug", "Lyon"),
    ("I'd like 2 red scarves delivered in Porto.", 2, "red", "scarf", "Porto"),
    ("Order: 5 green pens, shipping to Oslo.", 5, "green", "pen", "Oslo"),
    ("Can I get 1 black umbrella sent to Dublin?", 1, "black", "umbrella", "Dublin"),
    ("Ten white plates for our Vienna office please - 10 in total.", 10, "white", "plate", "Vienna"),
    ("Ship 4 yellow candles to Seville.", 4, "yellow", "candle", "Seville"),
    ("We need 6 grey chairs in Krakow.", 6, "grey", "chair", "Krakow"),
    ("Please deliver 8 orange notebooks to Ghent.", 8, "orange", "notebook", "Ghent"),
    ("7 purple towels to Turin, thanks!", 7, "purple", "towel", "Turin"),
    ("Send me 2 brown belts in Bergen.", 2, "brown", "belt", "Bergen"),
    ("Could you ship 9 pink cups to Nantes?", 9, "pink", "cup", "Nantes"),
    ("Order for Malmo: 3 silver spoons.", 3, "silver", "spoon", "Malmo"),
    ("Hello! 5 blue towels to Bilbao please.", 5, "blue", "towel", "Bilbao"),
    ("I want 1 red lamp delivered to Zurich.", 1, "red", "lamp", "Zurich"),
    ("Please send 4 green mugs to Tallinn.", 4, "green", "mug", "Tallinn"),
    ("12 black pens to Riga, as soon as possible.", 12, "black", "pen", "Riga"),
    ("Deliver 2 white scarves to Leeds.", 2, "white", "scarf", "Leeds"),
    ("Ship 6 yellow plates to Basel, please.", 6, "yellow", "plate", "Basel"),
    ("Hi there, 3 grey umbrellas for Cork.", 3, "grey", "umbrella", "Cork"),
    ("Need 7 orange candles in Utrecht.", 7, "orange", "candle", "Utrecht"),
]


def load_data():
    """Returns `(x_train, y_train), (x_test, y_test)` as numpy object arrays (12 train, 8 test)."""
    pairs = [
        (Message(message=text), Order(quantity=quantity, color=color, item=item, city=city))
        for text, quantity, color, item, city in _ROWS
    ]
    return as_arrays(pairs[:12]), as_arrays(pairs[12:])
