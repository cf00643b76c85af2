"""A hosted model through litellm: any provider string works the same way.

Run: OPENAI_API_KEY=sk-... python examples/provider_model.py
Needs a key for the provider (here OpenAI) and the network. Other models:
"anthropic/claude-3-5-haiku-latest", "gemini/gemini-2.0-flash",
"ollama/llama3.2" (a local Ollama server), "vllm/<model>" (a vLLM server).
Set SYNALINKS_API_BASE to use an OpenAI-compatible server instead.
"""

import asyncio
import os

import synalinks


class Question(synalinks.DataModel):
    question: str = synalinks.Field(description="A question")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="A short answer")


async def main():
    language_model = synalinks.LanguageModel(
        model=os.environ.get("SYNALINKS_MODEL", "openai/gpt-4o-mini"),
        api_base=os.environ.get("SYNALINKS_API_BASE"),
        max_concurrency=8,
        temperature=0.0,
    )
    program = synalinks.Sequential(
        [synalinks.Input(data_model=Question), synalinks.Generator(data_model=Answer, language_model=language_model)],
        name="qa",
    )
    answer = await program(Question(question="What is the capital of France?"))
    print(answer.get_json())
    print(program.lm_usage())


if __name__ == "__main__":
    asyncio.run(main())
