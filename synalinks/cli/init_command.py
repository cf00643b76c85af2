"""`synalinks init NAME`: write a small project that trains as it is."""

import os

PROGRAM = '''"""The program: a Generator that sends each reader's message to the right desk."""

import synalinks


class Message(synalinks.DataModel):
    message: str = synalinks.Field(description="A reader's message")


class Desk(synalinks.DataModel):
    desk: str = synalinks.Field(description="The desk that should answer: 'sports', 'cooking' or 'weather'")


def build_program(language_model=None):
    return synalinks.Sequential(
        [
            synalinks.Input(data_model=Message),
            synalinks.Generator(
                data_model=Desk,
                language_model=language_model,
                instructions="Send the message to the 'sports', 'cooking' or 'weather' desk.",
            ),
        ],
        name="{name}",
    )
'''

DATA = '''"""The data: messages and the desk that should answer them."""

import numpy as np

from program import Desk, Message

SPORTS = [
    "The striker scored twice in the final.",
    "She won the marathon in record time.",
    "The team lost the match on penalties.",
    "He hit a home run in the ninth inning.",
    "The tennis final went to five sets.",
    "Our goalkeeper saved three shots.",
    "The cyclist climbed the mountain stage first.",
    "The referee showed a red card.",
    "The boxer won by knockout in round two.",
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
    "Marinate the beef overnight.",
    "Grate the cheese over the pasta.",
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
    "A heatwave is forecast for the weekend.",
    "Hail fell across the region today.",
]


def load_data():
    """15 messages to train on, 15 to validate on, 5 for each desk in each half."""
    rows = []
    for sports, cooking, weather in zip(SPORTS, COOKING, WEATHER):
        rows += [(sports, "sports"), (cooking, "cooking"), (weather, "weather")]
    x = np.array([Message(message=text) for text, _ in rows], dtype=object)
    y = np.array([Desk(desk=desk) for _, desk in rows], dtype=object)
    return (x[0::2], y[0::2]), (x[1::2], y[1::2])
'''

TRAIN = '''"""Train the program and keep the best checkpoint: python train.py"""

import os

import synalinks
from data import load_data
from program import build_program

# The embedded model runs offline; use e.g. "openai/gpt-4o-mini" for a hosted one.
language_model = synalinks.LanguageModel(model=os.environ.get("MODEL", "local/smollm2"))
(x_train, y_train), (x_test, y_test) = load_data()

program = build_program(language_model)
program.compile(
    reward=synalinks.rewards.ExactMatch(),
    # Few-shot examples drawn from the labels, raced on training samples at each epoch end.
    optimizer=synalinks.optimizers.RandomFewShot(seed=0),
    metrics=[synalinks.metrics.Accuracy()],
)
print("accuracy before training:", program.evaluate(x_test, y_test, verbose=0)["accuracy"])
program.fit(
    x_train,
    y_train,
    validation_data=(x_test, y_test),
    epochs=int(os.environ.get("EPOCHS", "3")),
    batch_size=5,
    seed=0,  # the same shuffles and draws on each run
    callbacks=[synalinks.callbacks.ProgramCheckpoint("checkpoints/best.program.json", monitor="val_accuracy", save_best_only=True)],
)
best = synalinks.programs.load_program("checkpoints/best.program.json")
print("accuracy of the best checkpoint:", best.evaluate(x_test, y_test, verbose=0)["accuracy"])
'''


def init(name, out):
    """Writes NAME/program.py, data.py, train.py and .gitignore; refuses to overwrite a folder that exists."""
    if os.path.exists(name):
        out(f"'{name}' already exists; choose another name (nothing was written).")
        return 1
    os.makedirs(name)
    project = os.path.basename(os.path.abspath(name))
    files = {
        "program.py": PROGRAM.replace("{name}", project),
        "data.py": DATA,
        "train.py": TRAIN,
        ".gitignore": "checkpoints/\nsynalinks_output/\n__pycache__/\n",
    }
    for file_name, content in files.items():
        with open(os.path.join(name, file_name), "w", encoding="utf-8") as file:
            file.write(content)
    out(f"Created {name}/ with program.py, data.py and train.py. Train it: cd {name} && python train.py")
    return 0
