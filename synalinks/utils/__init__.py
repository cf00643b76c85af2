from synalinks.utils.async_utils import run_maybe_sync
from synalinks.utils.naming import snake_case, unique_name
from synalinks.utils.seed import set_seed

__all__ = ["run_maybe_sync", "set_seed", "snake_case", "unique_name"]
