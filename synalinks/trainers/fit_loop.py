"""`FitLoop`: the epochs and batches of `fit`, with the budget, SIGTERM and interruption handling."""

import asyncio
import sys

from synalinks.language_models.call_budget import BudgetExceededError
from synalinks.modules.trace import run_traced
from synalinks.trainers.epoch_iterator import EpochIterator
from synalinks.trainers.fit_interruption import FitInterruption
from synalinks.trainers.termination_signal import TerminationSignal
from synalinks.utils.async_utils import gather_all_or_none
from synalinks.utils.sample_failures import failures_summed_up


class FitLoop:
    """The loop behind `Trainer.fit`: a mixin of `Trainer`, which validates the arguments and builds the data.

    Each batch runs the program with traces, scores the outputs and hands the
    traces and rewards to the optimizer; each epoch ends with the optimizer's
    `on_epoch_end`, the validation and the callbacks. A spent budget, SIGTERM
    or Ctrl-C stops it between batches with the position recorded, so that a
    resumed run makes no LM call twice.
    """

    async def _fit(
        self, data, validation, callback_list, epochs, initial_epoch, validate_at, steps_per_execution, budget
    ):
        self.stop_training = False
        self._call_budget = budget
        self.progress.reset()
        interruption = FitInterruption(self, callback_list, budget)
        training_logs = {}
        termination = TerminationSignal(on_signal=interruption.on_sigterm)
        try:
            with termination, budget.active():
                training_logs = await self._fit_epochs(
                    data,
                    validation,
                    callback_list,
                    epochs,
                    initial_epoch,
                    validate_at,
                    EpochIterator(data, steps_per_execution),
                    termination,
                    interruption,
                )
        except BaseException as error:
            try:
                callback_list.on_train_interrupted(error, interruption.latest_logs)
            except Exception as secondary:  # the error that stopped training is the one raised
                error.add_note(f"A callback failed too while handling it: {type(secondary).__name__}: {secondary}")
            if isinstance(error, (KeyboardInterrupt, asyncio.CancelledError)):
                print(interruption.line(self.progress), file=sys.stderr)
            raise
        finally:
            self._call_budget = None
        interruption.log_budget_stop()
        callback_list.on_train_end(training_logs)
        self._log_lm_usage("fit")
        return self.history

    async def _fit_epochs(
        self,
        data,
        validation,
        callback_list,
        epochs,
        initial_epoch,
        validate_at,
        epoch_iterator,
        termination,
        interruption,
    ):
        progress = self.progress
        logs, training_logs = {}, {}
        progress.begin_epoch(initial_epoch, data.get_rng_state())
        callback_list.on_train_begin()  # BackupAndRestore puts back the training state here
        if progress.resumed:
            data.set_rng_state(progress.rng_state)
        for epoch in range(progress.epoch, epochs):
            skip = progress.step
            progress.begin_epoch(epoch, data.get_rng_state())
            if skip == 0:
                self.reset_metrics()  # a run resumed mid-epoch had its metric states restored
            callback_list.on_epoch_begin(epoch)
            logs = None
            with failures_summed_up(f"epoch {epoch + 1}"):  # one line for the epoch's failed samples
                for step, x_batch, y_batch, begins, ends in epoch_iterator.steps(skip):
                    if begins:
                        callback_list.on_train_batch_begin(step)
                    try:
                        batch_logs = await termination.run(self._train_batch(x_batch, y_batch))
                    except BudgetExceededError as error:
                        interruption.reason = error.limit
                        batch_logs = None  # dropped: a resume runs this batch again
                    if batch_logs is None:  # SIGTERM's grace period ran out, or the budget: the batch was dropped
                        interruption.stop(interruption.reason, logs)
                        break
                    logs = interruption.latest_logs = batch_logs
                    progress.end_batch()
                    interruption.note_budget()  # an optimizer call was refused
                    if ends:
                        callback_list.on_train_batch_end(step, logs)
                    if interruption.reason is not None:
                        interruption.stop(interruption.reason, logs)
                    if self.stop_training:
                        break
            if logs is None and skip == 0 and not interruption.reason:
                epoch_iterator.warn_out_of_data(epoch)
                break
            epoch_logs = self.get_metrics_result() if logs is None else dict(logs)
            if self._optimizer is not None and not interruption.reason:  # no new LM call after SIGTERM
                await interruption.within_budget(
                    self._optimizer_work(self._optimizer.on_epoch_end(self.trainable_variables)), logs
                )
            if validation is not None and validate_at(epoch) and not interruption.reason:
                val_logs = await interruption.within_budget(self._evaluate(validation, callback_list), logs)
                if val_logs is not None:
                    epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
            if self._optimizer is not None:
                epoch_logs["optimizer_calls"] = self._optimizer.calls
            if not interruption.reason:
                progress.end_epoch(data.get_rng_state())
            callback_list.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        return training_logs

    async def _train_batch(self, x_batch, y_batch):
        results = await gather_all_or_none([run_traced(self, x, training=True) for x in x_batch])
        y_pred = [prediction for prediction, _ in results]
        traces = [trace for _, trace in results]
        rewards = await self._score_batch(y_batch, y_pred)
        if self._optimizer is not None:
            await self._optimizer_work(self._optimizer.optimize(self.trainable_variables, traces, rewards, y_batch))
        return self.get_metrics_result()

    async def _optimizer_work(self, work):
        """Runs an optimizer step, adding the LM calls it asks for to `optimizer.calls`."""
        budget = self._call_budget
        if budget is None:
            return await work
        before = budget.optimizer_requests
        try:
            with budget.optimizer_work():
                return await work
        finally:
            self._optimizer.calls += budget.optimizer_requests - before
