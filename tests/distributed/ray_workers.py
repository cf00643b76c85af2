"""Imported by each Ray worker of the tests (`worker_process_setup_hook`): a provider stand-in for litellm,
the same as the tests use in their own process, and a way to kill a worker mid-batch once."""

import json
import os


class AnswerByNumber:
    """Answers `{"answer": "<n mod 3>"}` for the query `q<n>` (`"wrong"` when n is a multiple of 7), after a
    short wait. Examples in the prompt help: with k of them, the multiples of 7 whose `(n // 7) % 4 < k`
    are answered right too (so candidates with more examples win races).

    When the folder `$SYNALINKS_TEST_RAY_DIR` holds `count_calls`, each call appends a line to `calls`
    there (the calls of every process, workers' included).

    When the folder `$SYNALINKS_TEST_RAY_DIR` holds `kill_at` (a query) and
    not yet `killed`, the worker that gets that query writes `killed` and
    dies on the spot (`os._exit`), as a machine lost mid-batch would.
    """

    async def __call__(self, **request):
        import asyncio

        query = json.loads(request["messages"][-1]["content"])["query"]
        folder = os.environ.get("SYNALINKS_TEST_RAY_DIR")
        if folder and os.path.exists(os.path.join(folder, "kill_at")):
            with open(os.path.join(folder, "kill_at")) as file:
                kill_at = file.read().strip()
            killed = os.path.join(folder, "killed")
            if query == kill_at and not os.path.exists(killed):
                with open(killed, "w") as file:
                    file.write(str(os.getpid()))
                os._exit(1)
        if folder and os.path.exists(os.path.join(folder, "count_calls")):
            with open(os.path.join(folder, "calls"), "a") as file:
                file.write(f"{os.getpid()}\n")
        await asyncio.sleep(0.001)
        number = int(query[1:])
        examples = sum(message["role"] == "assistant" for message in request["messages"])
        wrong = number % 7 == 0 and (number // 7) % 4 >= examples
        return {
            "choices": [{"message": {"content": json.dumps({"answer": "wrong" if wrong else str(number % 3)})}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 3},
        }


def setup():
    import litellm

    litellm.acompletion = AnswerByNumber()
