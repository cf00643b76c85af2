from synalinks.utils.async_utils import run_maybe_sync
from synalinks.utils.naming import snake_case, unique_name

__all__ = ["run_maybe_sync", "snake_case", "unique_name"]
