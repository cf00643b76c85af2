"""Processes killed with SIGKILL: checkpoints stay whole, and BackupAndRestore resumes exactly."""

import json
import os
import pathlib
import random
import select
import signal
import subprocess
import sys
import time

import pytest

import synalinks
from synalinks.saving import read_json_file

TARGET = pathlib.Path(__file__).with_name("crash_target.py")


def start(*args):
    return subprocess.Popen(
        [sys.executable, str(TARGET), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )


def start_forked_checkpoint_run(folder):
    """The checkpoint run in a forked child of this process: killed the same way (SIGKILL), without
    paying an interpreter start-up and `import synalinks` for each of the 50 runs."""
    from tests.callbacks import crash_target

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: train until killed, never return into pytest
        try:
            os.close(read_fd)
            crash_target.checkpoint_run(str(folder), ready_fd=write_fd)
        finally:
            os._exit(1)
    os.close(write_fd)
    return pid, read_fd


def kill_forked_when_ready(pid, read_fd, delay):
    ready, _, _ = select.select([read_fd], [], [], 60)
    line = os.read(read_fd, 64) if ready else b""
    os.close(read_fd)
    try:
        assert line.strip() == b"ready", "the training run did not start"
        time.sleep(delay)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def kill_when_ready(process, delay):
    line = process.stdout.readline()
    assert line.strip() == "ready", "the training run did not start"
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


@pytest.mark.slow
def test_every_checkpoint_left_by_a_killed_run_loads(tmp_path):
    rng = random.Random(2026)
    loaded = 0
    killed_while_writing = 0
    for _ in range(50):
        pid, read_fd = start_forked_checkpoint_run(tmp_path)
        kill_forked_when_ready(pid, read_fd, rng.uniform(0.0, 0.3))
        # A temporary file left behind means the kill landed in the middle of a write.
        killed_while_writing += bool(list(tmp_path.glob(".*.tmp")))
        for path in sorted(p for p in tmp_path.glob("*.json") if not p.name.startswith(".")):
            if path.name.endswith(".variables.json"):
                document = read_json_file(path, "synalinks.variables")
                assert len(document["variables"][0]["variables"]["state"]["examples"]) == 100
            else:
                program = synalinks.programs.load_program(path)
                assert len(program.variables[0].get("examples")) == 100
            loaded += 1
    assert loaded >= 100, "checkpoints were being written all along"
    assert killed_while_writing >= 3, killed_while_writing  # about a quarter land mid-write here


def run_to_end(folder, result):
    process = start(folder, "resume", result)
    process.stdout.read()
    assert process.wait(timeout=120) == 0
    return json.loads(pathlib.Path(result).read_text())


def test_a_killed_run_resumed_with_backup_and_restore_ends_like_an_uninterrupted_one(tmp_path):
    reference = run_to_end(tmp_path / "reference", tmp_path / "reference.json")
    rng = random.Random(7)
    for attempt in range(3):
        folder = tmp_path / f"killed{attempt}"
        folder.mkdir()
        kill_when_ready(start(folder, "resume", tmp_path / "unused.json"), rng.uniform(0.05, 0.6))
        before = (folder / "requests.log").read_text().split()
        (folder / "requests.log").write_text("")
        resumed = run_to_end(folder, tmp_path / f"resumed{attempt}.json")
        after = (folder / "requests.log").read_text().split()
        assert resumed == reference
        assert len(set(after) & set(before)) <= 4, "at most one batch of LM calls is made again"
        assert os.listdir(folder / "backup") == [] or not (folder / "backup" / "backup.json").exists()
