"""`Monitor`: logs a training run (parameters, metrics, the program) to MLflow."""

import os
import tempfile

from synalinks.callbacks.callback import Callback


class Monitor(Callback):
    """Logs the run to MLflow: `fit`'s parameters and compile configuration,
    each epoch's logs as metrics, the language models' usage, and the trained
    program as an artifact (`program.json`).

    MLflow is imported when training begins: install it with the `mlflow`
    extra (`pip install "synalinks[mlflow]"`, which brings `mlflow-skinny`).

    Args:
        experiment_name: The MLflow experiment (created if missing); by
            default the program's name.
        run_name: The run's name; by default the program's name.
        tracking_uri: Where MLflow stores runs, e.g. `file:///tmp/mlruns` or a
            tracking server URL; by default MLflow's own default.
        log_batch_metrics: Also log the logs of each training batch (step:
            the global batch number).
        log_epoch_metrics: Log each epoch's logs (default True).
        log_program_plot: Log a picture of the program (`plot_program`) at
            the start; skipped with a warning when matplotlib is missing.
        log_program_model: Log the trained program (`program.json`) at the end.
        tags: Tags of the run (a dict).
        run_id: Log into this existing run instead of starting one.
        resume: With `run_id`, go on logging into that run (the steps continue).
        log_assessments: Accepted for Synalinks code; per-trace assessments
            come with tracing (hooks and traces).
        log_program: Our older name for `log_program_model`.

    Example:

    ```python
    monitor = synalinks.callbacks.Monitor(experiment_name="sentiment", tracking_uri="file:///tmp/mlruns")
    program.fit(x, y, epochs=5, callbacks=[monitor])
    ```
    """

    def __init__(
        self,
        experiment_name=None,
        run_name=None,
        tracking_uri=None,
        log_batch_metrics=False,
        log_epoch_metrics=True,
        log_program_plot=True,
        log_program_model=True,
        tags=None,
        run_id=None,
        resume=False,
        log_assessments=True,
        log_program=None,
    ):
        super().__init__()
        if resume and not run_id:
            raise ValueError("Monitor(resume=True) needs the `run_id` of the run to go on with.")
        self.experiment_name = experiment_name
        self.run_name = run_name
        self.tracking_uri = tracking_uri
        self.log_batch_metrics = log_batch_metrics
        self.log_epoch_metrics = log_epoch_metrics
        self.log_program_plot = log_program_plot
        self.log_program_model = log_program_model if log_program is None else log_program
        self.tags = dict(tags or {})
        self.run_id = run_id
        self.resume = resume
        self.log_assessments = log_assessments
        self._batches = 0

    def _mlflow(self):
        try:
            import mlflow
        except ImportError as error:
            raise ImportError('Monitor needs MLflow: pip install "synalinks[mlflow]" (or mlflow-skinny).') from error
        return mlflow

    def on_train_begin(self, logs=None):
        mlflow = self._mlflow()
        if self.tracking_uri:
            mlflow.set_tracking_uri(self.tracking_uri)
        if self.run_id:
            run = mlflow.start_run(run_id=self.run_id)
        else:
            mlflow.set_experiment(self.experiment_name or self.program.name)
            run = mlflow.start_run(run_name=self.run_name or self.program.name)
        self.run_id = run.info.run_id
        if self.tags:
            mlflow.set_tags(self.tags)
        if self.log_program_plot:
            self._log_plot(mlflow)
        params = {f"fit_{key}": value for key, value in self.params.items()}
        config = self.program.get_compile_config() or {}
        for key in ("reward", "optimizer"):
            if config.get(key):
                params[key] = config[key]["class_name"]
                for name, value in config[key]["config"].items():
                    if isinstance(value, (str, int, float, bool)) or value is None:
                        params[f"{key}_{name}"] = value
        params["metrics"] = ",".join(metric.name for metric in self.program.metrics)
        params["trainable_variables"] = len(self.program.trainable_variables)
        if not self.resume:  # a resumed run has its parameters already
            mlflow.log_params(params)

    def _log_plot(self, mlflow):
        import warnings

        from synalinks.utils.plot_program import plot_program

        try:
            with tempfile.TemporaryDirectory() as folder:
                path = plot_program(self.program, to_file="program.png", to_folder=folder, show_module_names=True)
                mlflow.log_artifact(path)
        except ImportError as error:
            warnings.warn(f"Monitor: no program plot logged ({error}); pip install matplotlib.", stacklevel=2)

    def on_train_batch_end(self, batch, logs=None):
        self._batches += 1
        if self.log_batch_metrics:
            metrics = {
                f"batch_{key}": float(value) for key, value in (logs or {}).items() if isinstance(value, (int, float))
            }
            self._mlflow().log_metrics(metrics, step=self._batches)

    def on_epoch_end(self, epoch, logs=None):
        if not self.log_epoch_metrics:
            return
        mlflow = self._mlflow()
        metrics = {key: float(value) for key, value in (logs or {}).items() if isinstance(value, (int, float))}
        for model, usage in self.program.lm_usage().items():
            for field in ("calls", "prompt_tokens", "completion_tokens", "cost"):
                metrics[f"lm_{field}/{model}".replace(":", "_")] = float(usage[field])
        mlflow.log_metrics(metrics, step=epoch)

    def on_train_end(self, logs=None):
        mlflow = self._mlflow()
        try:
            if self.log_program_model:
                with tempfile.TemporaryDirectory() as folder:
                    path = os.path.join(folder, "program.json")
                    self.program.save(path)
                    mlflow.log_artifact(path)
        finally:
            mlflow.end_run()
