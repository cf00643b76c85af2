"""Makes the trace shown in docs/images/mlflow_trace.png (docs/observability.md).

How the screenshot was taken (2026-11-27): the full `mlflow` package (3.17.2) in its own venv served
`mlflow server --backend-store-uri sqlite:///mlflow.db --host 127.0.0.1 --port 5055`; this script
sent one sample's trace to it (embedded SmolLM2, no key); Debian's Chromium opened the trace:
`chromium --headless=new --window-size=1400,800 --virtual-time-budget=20000 --screenshot=mlflow_trace.png
"http://127.0.0.1:5055/#/experiments/1/traces?selectedEvaluationId=<trace id>"`.
"""

import asyncio

import synalinks


class Question(synalinks.DataModel):
    question: str = synalinks.Field(description="A question")


class Topic(synalinks.DataModel):
    topic: str = synalinks.Field(description="What the question is about, in two or three words")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="A short answer")


async def main():
    lm = synalinks.LanguageModel(model="local/smollm2", name="smollm2 (embedded)")
    inputs = synalinks.Input(data_model=Question)
    topic = await synalinks.Generator(data_model=Topic, language_model=lm, name="find_topic")(inputs)
    both = await synalinks.ops.concatenate(inputs, topic)
    answer = await synalinks.ChainOfThought(data_model=Answer, language_model=lm, name="answer")(both)
    program = synalinks.Program(inputs=inputs, outputs=answer, name="support_qa")
    monitor = synalinks.enable_observability(tracking_uri="http://127.0.0.1:5055", experiment_name="support_qa")
    result = await program(Question(question="What is the capital of France?"))
    print(result.get_json() if result is not None else None)
    monitor.flush()


asyncio.run(main())
