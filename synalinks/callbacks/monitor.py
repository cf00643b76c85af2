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
        experiment_name: The MLflow experiment (created if missing).
        run_name: The run's name.
        tracking_uri: Where MLflow stores runs, e.g. `file:///tmp/mlruns` or a
            tracking server URL; by default MLflow's own default.
        log_program: Log the trained program as an artifact at the end.

    Example:

    ```python
    monitor = synalinks.callbacks.Monitor(experiment_name="sentiment", tracking_uri="file:///tmp/mlruns")
    program.fit(x, y, epochs=5, callbacks=[monitor])
    ```
    """

    def __init__(self, experiment_name="synalinks", run_name=None, tracking_uri=None, log_program=True):
        super().__init__()
        self.experiment_name = experiment_name
        self.run_name = run_name
        self.tracking_uri = tracking_uri
        self.log_program = log_program
        self.run_id = None

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
        mlflow.set_experiment(self.experiment_name)
        run = mlflow.start_run(run_name=self.run_name or self.program.name)
        self.run_id = run.info.run_id
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
        mlflow.log_params(params)

    def on_epoch_end(self, epoch, logs=None):
        mlflow = self._mlflow()
        metrics = {key: float(value) for key, value in (logs or {}).items() if isinstance(value, (int, float))}
        for model, usage in self.program.lm_usage().items():
            for field in ("calls", "prompt_tokens", "completion_tokens", "cost"):
                metrics[f"lm_{field}/{model}".replace(":", "_")] = float(usage[field])
        mlflow.log_metrics(metrics, step=epoch)

    def on_train_end(self, logs=None):
        mlflow = self._mlflow()
        try:
            if self.log_program:
                with tempfile.TemporaryDirectory() as folder:
                    path = os.path.join(folder, "program.json")
                    self.program.save(path)
                    mlflow.log_artifact(path)
        finally:
            mlflow.end_run()
