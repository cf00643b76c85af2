"""`RayTrials`: an optimizer's candidate trials run as Ray tasks, one task per candidate."""

import asyncio

from synalinks.distributed.batch_runner import input_schema
from synalinks.distributed.program_payload import check_lm_limits, program_payload, worker_limits
from synalinks.distributed.ray_cluster import import_ray
from synalinks.distributed.trial_task import sample_rows, score_candidate
from synalinks.distributed.worker_usage import add_workers_usage
from synalinks.language_models.call_budget import BudgetExceededError, active_call_budget
from synalinks.utils.checks import check_positive_int, check_positive_number


class RayTrials:
    """Runs an optimizer's candidate trials as Ray tasks: `program.fit(..., trial_runner=RayTrials())`.

    When an optimizer races candidates (e.g. `RandomFewShot(nb_candidates=...)`,
    `OMEGA`), each candidate's run on the trial samples becomes one Ray task:
    the program goes to the workers as its JSON (no API key in it; workers
    read keys from their environment), built once per worker, with the raced
    variable set to the candidate. At most `num_workers` tasks run at once,
    each with its share of the language models' limits; the rewards come back
    in the candidates' order, so the race, its winner and the trial records are
    the ones a run in this process would give.

    A budget of `fit` (`max_calls`, `max_cost`) holds: each task gets its part
    of what is left and the calls it made are added to `fit`'s; a refused call
    ends the race as it does here. A worker that dies is retried by Ray (what
    it had spent before dying is not counted).

    Args:
        num_workers: Trials running at once.
        lm_limits: "split" (default): each task gets its part of each model's
            `max_concurrency` / `requests_per_minute`; "per_worker": each gets
            them whole.
        num_cpus: CPUs each task reserves (a task that waits on a hosted LM
            needs little: a fraction lets more run beside it).

    Example:

    ```python
    import ray

    ray.init()  # or ray.init(address="ray://head:10001")
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot())
    program.fit(x_train, y_train, epochs=3, trial_runner=synalinks.distributed.RayTrials(num_workers=4))
    ```
    """

    def __init__(self, num_workers=2, lm_limits="split", num_cpus=1):
        check_positive_int(num_workers, "num_workers")
        check_positive_number(num_cpus, "num_cpus")
        self.num_workers = num_workers
        self.lm_limits = check_lm_limits(lm_limits)
        self.num_cpus = num_cpus
        self.program = None

    def bind(self, program):
        """Runs the trials of `program` (`fit` calls it); returns self.

        Raises:
            ValueError: when the program has several inputs (trials send one input per sample).
        """
        input_schema(program)  # several inputs: say so before training starts, not in a worker mid-epoch
        self.program = program
        return self

    async def __call__(self, samples):
        """The rewards of the program as it is now on the `(x, y)` pairs `samples` (one task)."""
        return (await self._score(None, [None], samples))[0]

    async def score_candidates(self, variable, values, samples):
        """The rewards of each value of `variable` on `samples`: one task per value, in the values' order."""
        index = next((i for i, trainable in enumerate(self.program.trainable_variables) if trainable is variable), None)
        if index is None:
            raise ValueError(f"'{variable.path}' is not a trainable variable of the program '{self.program.name}'.")
        return await self._score(index, values, samples)

    async def _score(self, variable_index, values, samples):
        if self.program is None:
            raise RuntimeError("RayTrials runs the trials of a program: pass it to fit(trial_runner=...).")
        ray = import_ray()
        budget = active_call_budget()
        max_calls, max_cost = budget.shares(len(values)) if budget is not None else (None, None)
        payload, digest = program_payload(self.program)
        shared = {
            "payload": ray.put(payload),
            "digest": digest,
            "limits": worker_limits(self.program, min(self.num_workers, len(values)), self.lm_limits),
            "variable_index": variable_index,
            "rows": ray.put(sample_rows(samples)),
            "max_calls": max_calls,
            "max_cost": max_cost,
        }
        calls = [dict(shared, value=value) for value in values]
        results = await asyncio.to_thread(self._run_tasks, ray, calls)
        add_workers_usage(self.program, [result["usage"] for result in results])
        refusal = None
        for result in results:
            if budget is not None:
                budget.add_usage(result["calls"], result["cost"], result["requests"])
            refusal = refusal or result["refusal"]
        if refusal is not None:
            if budget is not None:
                budget.refuse_elsewhere(refusal["limit"], "a candidate's trial on Ray")
            raise BudgetExceededError(refusal["message"], limit=refusal["limit"])
        return [result["rewards"] for result in results]

    def _run_tasks(self, ray, calls):
        """Runs one task per call, at most `num_workers` at once; results in the calls' order."""
        task = ray.remote(num_cpus=self.num_cpus)(score_candidate)  # retried by Ray if its worker dies
        results = [None] * len(calls)
        waiting = list(enumerate(calls))
        running = {}
        while waiting or running:
            while waiting and len(running) < self.num_workers:
                position, kwargs = waiting.pop(0)
                running[task.remote(**kwargs)] = position
            done, _ = ray.wait(list(running), num_returns=1)
            for ref in done:
                results[running.pop(ref)] = ray.get(ref)
        return results
