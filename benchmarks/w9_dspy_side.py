"""W9's DSPy side, run inside DSPy's own virtualenv: `python w9_dspy_side.py DATA.json API_BASE`.

DSPy programs the arbitrary-code task as a new user would (a signature
with the same field descriptions and instructions as the synalinks
program) against the embedded model served as a generic OpenAI-compatible
endpoint. It prints one JSON object: for each of the untrained program,
`LabeledFewShot(k=16)`, `BootstrapFewShot()` and
`BootstrapFewShotWithRandomSearch()`, the validation accuracy and the LM
calls spent compiling and evaluating (counted by the server), or the
error that stopped it.
"""

import json
import sys
import traceback
import urllib.request

import dspy


def served_completions(api_base):
    with urllib.request.urlopen(api_base.rsplit("/v1", 1)[0] + "/stats") as response:
        return json.load(response)["completions"]


def main():
    data_path, api_base = sys.argv[1], sys.argv[2]
    with open(data_path) as file:
        data = json.load(file)
    lm = dspy.LM("openai/smollm2", api_base=api_base, api_key="none", cache=False, temperature=0.0, max_tokens=512)
    dspy.configure(lm=lm)

    class ReviewCode(dspy.Signature):
        """Give the code of the review."""

        review: str = dspy.InputField(desc="A short movie review")
        code: str = dspy.OutputField(desc="The code of the review")

    def examples(rows):
        return [dspy.Example(review=review, code=code).with_inputs("review") for review, code in rows]

    trainset, valset = examples(data["train"]), examples(data["validation"])

    def metric(example, prediction, trace=None):
        return str(getattr(prediction, "code", "")).strip() == example.code

    def accuracy(program):
        evaluate = dspy.Evaluate(devset=valset, metric=metric, num_threads=1, display_progress=False, max_errors=1000)
        result = evaluate(program)
        score = getattr(result, "score", result)  # an EvaluationResult (DSPy 3) or a number (DSPy 2)
        return float(score) / 100.0

    report = {"dspy_version": dspy.__version__}
    runs = {
        "untrained": lambda: dspy.Predict(ReviewCode),
        "LabeledFewShot(k=16)": lambda: dspy.LabeledFewShot(k=16).compile(dspy.Predict(ReviewCode), trainset=trainset),
        "BootstrapFewShot()": lambda: dspy.BootstrapFewShot(metric=metric).compile(
            dspy.Predict(ReviewCode), trainset=trainset
        ),
        "BootstrapFewShotWithRandomSearch()": lambda: dspy.BootstrapFewShotWithRandomSearch(metric=metric).compile(
            dspy.Predict(ReviewCode), trainset=trainset
        ),
    }
    for name, compile_program in runs.items():
        start = served_completions(api_base)
        try:
            program = compile_program()
            compiled = served_completions(api_base)
            score = accuracy(program)
            report[name] = {
                "val_accuracy": score,
                "compile_calls": compiled - start,
                "calls": served_completions(api_base) - start,
            }
        except Exception as error:
            report[name] = {
                "error": f"{type(error).__name__}: {str(error)[:300]}",
                "calls": served_completions(api_base) - start,
                "trace": traceback.format_exc()[-600:],
            }
        print(name, report[name], file=sys.stderr, flush=True)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
