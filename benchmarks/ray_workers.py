"""Imported by each Ray worker of W13 on Ray (`worker_process_setup_hook`): the simulated 50 ms provider."""


def setup():
    from common import SimulatedProvider

    SimulatedProvider(latency=0.05).install()
