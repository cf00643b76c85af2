"""The `str`-field topic classifier of issue 12: sentences about sports, cooking or weather, the
output a plain `str` field whose description lists the choices (not a `Literal`). Untrained, the
embedded model copies the description back; labeled demonstrations teach it the labels."""

import numpy as np

import synalinks

SPORTS = [
    "The striker scored twice in the final.",
    "She won the marathon in record time.",
    "The team lost the match on penalties.",
    "He hit a home run in the ninth inning.",
    "The tennis final went to five sets.",
    "Our goalkeeper saved three shots.",
    "The cyclist climbed the mountain stage first.",
    "They trained hard for the swimming relay.",
    "The referee showed a red card.",
    "The boxer won by knockout in round two.",
    "The rugby team scored a late try.",
    "She broke the high jump record.",
]
COOKING = [
    "Simmer the sauce for ten minutes.",
    "Knead the dough until it is smooth.",
    "Add a pinch of salt to the soup.",
    "Roast the chicken with garlic and lemon.",
    "Whisk the eggs with the sugar.",
    "Chop the onions finely before frying.",
    "Bake the bread at two hundred degrees.",
    "Stir the risotto slowly with stock.",
    "Marinate the beef overnight.",
    "Grate the cheese over the pasta.",
    "Fry the potatoes until golden.",
    "Melt the butter in a pan.",
]
WEATHER = [
    "Heavy rain is expected this afternoon.",
    "A cold front brings snow tonight.",
    "The sky will clear by the evening.",
    "Strong winds will hit the coast tomorrow.",
    "Temperatures will reach thirty degrees.",
    "Fog will cover the valley this morning.",
    "Thunderstorms are likely after lunch.",
    "A frost warning is in place overnight.",
    "It will be sunny and mild all week.",
    "Light drizzle will continue until noon.",
    "A heatwave is forecast for the weekend.",
    "Hail fell across the region today.",
]


class Sentence(synalinks.DataModel):
    sentence: str = synalinks.Field(description="A sentence")


class Topic(synalinks.DataModel):
    topic: str = synalinks.Field(description="The topic of the sentence: 'sports', 'cooking' or 'weather'")


def load_data():
    """`(x_train, y_train), (x_val, y_val)`: 18 and 18 sentences, 6 of each topic in each."""
    rows = []
    for index in range(12):
        rows += [(SPORTS[index], "sports"), (COOKING[index], "cooking"), (WEATHER[index], "weather")]

    def arrays(part):
        x = np.array([Sentence(sentence=text) for text, _ in part], dtype=object)
        y = np.array([Topic(topic=topic) for _, topic in part], dtype=object)
        return x, y

    return arrays(rows[0::2]), arrays(rows[1::2])


def program(language_model):
    """`Input(Sentence) -> Generator(Topic)`: the natural way, a `str` field whose description lists the topics."""
    return synalinks.Sequential(
        [synalinks.Input(data_model=Sentence), synalinks.Generator(data_model=Topic, language_model=language_model)],
        name="topics",
    )
