"""A functional program with branches: route each query to the right Generator.

Run: python examples/functional_branches.py
Needs the local extra (the embedded SmolLM2 model runs offline, no key).
"""

import asyncio

import synalinks


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="A user query: a math question or a movie review")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The answer to the math question")


class Sentiment(synalinks.DataModel):
    sentiment: str = synalinks.Field(description="'positive' or 'negative'")


async def build(language_model):
    inputs = synalinks.Input(data_model=Query)
    math, review = await synalinks.Branch(
        question="Is the query a math question or a movie review?",
        labels=["math", "review"],
        branches=[
            synalinks.ChainOfThought(data_model=Answer, language_model=language_model, name="solver"),
            synalinks.Generator(data_model=Sentiment, language_model=language_model, name="critic"),
        ],
        language_model=language_model,
        # Two examples of the routing; training (program.fit) would find such examples itself.
        decision_examples=[
            (Query(query="How much is 7 times 6?"), {"thinking": "It asks for a computation.", "choice": "math"}),
            (Query(query="Dull and far too long."), {"thinking": "It is an opinion about a film.", "choice": "review"}),
        ],
        name="router",
    )(inputs)
    return synalinks.Program(inputs=inputs, outputs=[math, review], name="router_program")


async def main():
    # A penalty on repeats keeps a small model from looping inside its thinking.
    language_model = synalinks.LanguageModel(model="local/smollm2", repeat_penalty=1.3, max_tokens=160)
    program = await build(language_model)
    program.summary()
    for text in ["What is 12 plus 30?", "A wonderful film, I loved it."]:
        math, review = await program(Query(query=text))
        print(f"{text!r} -> math: {math and math.get_json()} | review: {review and review.get_json()}")


if __name__ == "__main__":
    asyncio.run(main())
