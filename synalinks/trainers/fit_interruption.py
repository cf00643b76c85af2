"""`FitInterruption`: why a `fit` stops before its last epoch (SIGTERM, a spent call budget, Ctrl-C) and
what it says when it does."""

import logging

from synalinks.language_models.call_budget import BudgetExceededError

logger = logging.getLogger("synalinks")


class FitInterruption:
    """The interruption state of one `fit`: the reason it stops early (None while it runs on), and the
    callbacks told of it.

    Args:
        program: The program being trained (its `stop_training` is set on a stop).
        callback_list: The fit's `CallbackList`.
        budget: The fit's `CallBudget`.

    Example:

    ```python
    from synalinks.callbacks.callback_list import CallbackList
    from synalinks.language_models.call_budget import CallBudget

    interruption = FitInterruption(program, CallbackList([], program=program), CallBudget(max_calls=10))


    async def optimizer_step():
        return {"reward": 1.0}


    result = await interruption.within_budget(optimizer_step(), {})  # None when the budget stopped it
    ```
    """

    def __init__(self, program, callback_list, budget):
        self.program = program
        self.callback_list = callback_list
        self.budget = budget
        self.reason = None
        self.latest_logs = None  # the last batch's logs, for `on_train_interrupted`

    def on_sigterm(self):
        self.reason = "SIGTERM"

    def stop(self, reason, logs):
        """Stops training for `reason` once the callbacks were told."""
        self.reason = reason
        self.callback_list.on_train_interrupted(reason, logs)
        self.program.stop_training = True

    def note_budget(self):
        """Takes as the reason a budget refusal the work caught itself (an optimizer's race ended early)."""
        if self.budget.exhausted and not self.reason:
            self.reason = self.budget.exhausted_by

    async def within_budget(self, work, logs):
        """Awaits `work`; when it hits the call budget (or caught a refusal itself), stops training and
        returns None."""
        try:
            result = await work
        except BudgetExceededError:
            result = None
        if self.budget.exhausted and not self.reason:
            self.stop(self.budget.exhausted_by, logs)
        return result

    def line(self, progress):
        """One line: where training stopped, what was kept, how to go on."""
        notes = [note for note in (callback.interruption_note() for callback in self.callback_list.callbacks) if note]
        kept = (
            "; ".join(notes) if notes else "nothing was saved (add ProgramCheckpoint or BackupAndRestore to keep work)"
        )
        return f"Training interrupted at epoch {progress.epoch + 1}, after {progress.step} batch(es): {kept}."

    def log_budget_stop(self):
        """Logs, after a fit stopped by `max_calls` / `max_cost`, what it spent and what was kept."""
        if self.reason not in ("max_calls", "max_cost"):
            return
        budget = self.budget
        logger.warning(
            "Training stopped: %s In all this fit sent %d LM calls (the optimizer's requests among them: %d) "
            "costing $%.6g; the work in progress was dropped, callbacks saved as configured, and a "
            "BackupAndRestore run resumes from its backup.",
            budget.refusal[0].upper() + budget.refusal[1:],
            budget.calls,
            budget.optimizer_requests,
            budget.cost,
        )
