"""The hooks called around every module and language model call of the process."""

from synalinks.hooks.hook_list import HookList

GLOBAL_HOOKS = HookList()


def add_global_hook(hook):
    """Calls `hook` around every module and language model call of the process.

    Example:

    ```python
    recorder = synalinks.hooks.Recorder(base_dir="/tmp/traces")
    synalinks.hooks.add_global_hook(recorder)
    ```
    """
    if hook not in GLOBAL_HOOKS.hooks:
        GLOBAL_HOOKS.add_hook(hook)
    return hook


def remove_global_hook(hook):
    """Stops calling `hook` (added by `add_global_hook`, `enable_observability` or `record_traces`)."""
    GLOBAL_HOOKS.remove_hook(hook)


def clear_global_hooks():
    """Removes every global hook."""
    GLOBAL_HOOKS.hooks.clear()


def global_hooks():
    """The global hooks, in the order they are called."""
    return list(GLOBAL_HOOKS.hooks)


def _replace_global_hook(hook_class, hook):
    for existing in [existing for existing in GLOBAL_HOOKS.hooks if type(existing) is hook_class]:
        GLOBAL_HOOKS.remove_hook(existing)
    return add_global_hook(hook)


def enable_observability(tracking_uri=None, experiment_name=None):
    """Sends a trace of every sample to MLflow tracing (a `Monitor` hook on every call).

    Needs the `mlflow` extra. Calling it again replaces the previous `Monitor`.

    Args:
        tracking_uri: Where MLflow keeps traces (`sqlite:///mlflow.db`, a server
            URL, ...). Default: MLflow's own (`MLFLOW_TRACKING_URI`).
        experiment_name: The experiment the traces go to (default "synalinks_traces").

    Example:

    ```python
    synalinks.enable_observability(tracking_uri="http://localhost:5000", experiment_name="qa")
    ```
    """
    from synalinks.hooks.monitor import Monitor

    return _replace_global_hook(Monitor, Monitor(tracking_uri=tracking_uri, experiment_name=experiment_name))


def record_traces(base_dir=None):
    """Writes a trace of every sample to a JSON Lines file (a `Recorder` hook on every call).

    `synalinks traces show` prints them. Calling it again replaces the previous `Recorder`.

    Args:
        base_dir: The folder of the trace files (default `<synalinks_home>/traces`).

    Example:

    ```python
    synalinks.record_traces(base_dir="traces")
    ```
    """
    from synalinks.hooks.recorder import Recorder

    return _replace_global_hook(Recorder, Recorder(base_dir=base_dir))
