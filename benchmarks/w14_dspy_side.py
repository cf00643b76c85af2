"""W14's DSPy side, run inside DSPy's own virtualenv: `python w14_dspy_side.py`.

`dspy.Evaluate(num_threads=32)` over the W14 samples, with `litellm.completion`
(the call DSPy's litellm engine makes) replaced by one that sleeps sample i's
latency and replies in DSPy's chat format. Prints one JSON object: the wall
time and the number of calls.
"""

import json
import os
import sys
import threading
import time

import dspy
import litellm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import long_tail  # noqa: E402

calls = 0
lock = threading.Lock()


def simulated_completion(**request):
    global calls
    time.sleep(long_tail.prompt_latency(request["messages"]))
    with lock:
        calls += 1
        k = calls - 1
    content = f"[[ ## answer ## ]]\n{k % 3}\n\n[[ ## completed ## ]]"
    return litellm.ModelResponse(choices=[{"message": {"role": "assistant", "content": content}}], model="simulated")


def main():
    litellm.completion = simulated_completion
    dspy.configure(lm=dspy.LM("openai/simulated", api_key="none", cache=False, engine="litellm", num_retries=0))

    class QA(dspy.Signature):
        query: str = dspy.InputField(desc="The query")
        answer: str = dspy.OutputField(desc="The answer")

    devset = [dspy.Example(query=f"q{i}", answer=str(i % 3)).with_inputs("query") for i in range(long_tail.SAMPLES)]
    evaluate = dspy.Evaluate(
        devset=devset,
        metric=lambda example, prediction, trace=None: prediction.answer == example.answer,
        num_threads=long_tail.SLOTS,
        display_progress=False,
    )
    program = dspy.Predict(QA)
    start = time.perf_counter()
    evaluate(program)
    wall = time.perf_counter() - start
    print(json.dumps({"dspy_version": dspy.__version__, "wall": wall, "calls": calls}))


if __name__ == "__main__":
    main()
