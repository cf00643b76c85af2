"""`import_ray`: Ray, started locally when no cluster was joined, or an error naming the extra to install."""


def import_ray():
    """Returns the `ray` module, calling `ray.init()` (a local cluster) unless the process already
    joined one (`ray.init(address=...)`).

    Raises:
        ImportError: naming `pip install "synalinks[ray]"` when Ray is not installed.
    """
    try:
        import ray
        import ray.data  # noqa: F401 (Ray Data: the datasets the programs run over)
    except ImportError as error:
        raise ImportError('synalinks.distributed needs Ray and Ray Data: pip install "synalinks[ray]".') from error
    if not ray.is_initialized():
        ray.init()
    return ray
