from synalinks.utils.async_utils import run_maybe_sync
from synalinks.utils.logs import enable_logging
from synalinks.utils.naming import clear_session, snake_case, unique_name
from synalinks.utils.plot_history import plot_history
from synalinks.utils.plot_program import plot_program
from synalinks.utils.seed import get_seed, set_seed

__all__ = ["plot_history", "plot_program", "get_seed", "run_maybe_sync", "set_seed", "snake_case", "unique_name"]
