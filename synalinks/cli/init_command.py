"""`synalinks init NAME`: write a small project that trains as it is."""

import os

PROGRAM = '''"""The program: a Generator that triages support tickets."""

import synalinks


class Ticket(synalinks.DataModel):
    ticket: str = synalinks.Field(description="A customer's support ticket")


class Triage(synalinks.DataModel):
    team: str = synalinks.Field(description="The team that should answer: 'billing' or 'technical'")


def build_program(language_model=None):
    return synalinks.Sequential(
        [
            synalinks.Input(data_model=Ticket),
            synalinks.Generator(
                data_model=Triage,
                language_model=language_model,
                instructions="Send the ticket to the 'billing' team or the 'technical' team.",
            ),
        ],
        name="{name}",
    )
'''

DATA = '''"""The data: tickets and the team that should answer them."""

import numpy as np

from program import Ticket, Triage

ROWS = [
    ("I was charged twice this month.", "billing"),
    ("The app crashes when I open settings.", "technical"),
    ("How do I get a refund for my last invoice?", "billing"),
    ("I cannot log in, the page keeps loading.", "technical"),
    ("Please update the card on my account.", "billing"),
    ("Uploading a photo gives error 500.", "technical"),
    ("Why is my bill higher than last month?", "billing"),
    ("The sync button does nothing on my phone.", "technical"),
    ("Can I pay yearly instead of monthly?", "billing"),
    ("Notifications stopped working after the update.", "technical"),
    ("I need a copy of my receipt.", "billing"),
    ("The website is very slow to load images.", "technical"),
    ("My discount code was not applied at checkout.", "billing"),
    ("The export to PDF produces a blank page.", "technical"),
    ("I want to cancel my subscription and get my money back.", "billing"),
    ("Two-factor codes never arrive by SMS.", "technical"),
    ("You charged my old card instead of the new one.", "billing"),
    ("The search bar returns no results at all.", "technical"),
    ("Can I get an invoice with my company's VAT number?", "billing"),
    ("The video player freezes after ten seconds.", "technical"),
    ("Why was I billed for a plan I never chose?", "billing"),
    ("Dark mode resets every time I restart the app.", "technical"),
    ("Please send me last year's payment history.", "billing"),
    ("The password reset link says it has expired.", "technical"),
]


def load_data():
    """16 tickets to train on, 8 to validate on, both halves balanced."""
    x = np.array([Ticket(ticket=text) for text, _ in ROWS], dtype=object)
    y = np.array([Triage(team=team) for _, team in ROWS], dtype=object)
    return (x[:16], y[:16]), (x[16:], y[16:])
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
    batch_size=8,
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
