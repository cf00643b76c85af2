"""1,000 damaged program, variables, manifest and backup files: only documented errors, each under 1 KB."""

import copy
import json
import random
import warnings

import pytest

import synalinks
from synalinks.callbacks import BackupAndRestore, ProgramCheckpoint
from synalinks.callbacks.callback_list import CallbackList
from synalinks.cli.main import main as cli_main
from synalinks.saving import DeserializationError, FileFormatError
from tests.conftest import make_data, qa_program

DOCUMENTED = (FileFormatError, DeserializationError, ValueError)
ODD_VALUES = [
    None,
    True,
    -1,
    10**30,
    1.5e308,
    "",
    "x" * 100_000,
    "\x1b[31mred\x1b[0m",
    [],
    {},
    [[[[[[[[[[1]]]]]]]]]],
    {"registered_name": "os>system", "class_name": "system", "config": {}},
    {"registered_name": 7},
    "../../etc/passwd",
]


def paths_in(document, prefix=()):
    yield prefix
    if isinstance(document, dict):
        for key, value in document.items():
            yield from paths_in(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from paths_in(value, (*prefix, index))


def mutate(document, rng):
    """One damaged copy of a JSON document: a value replaced, a key removed, or a container emptied."""
    document = copy.deepcopy(document)
    paths = [path for path in paths_in(document) if path]
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(paths)
        parent = document
        try:
            for part in path[:-1]:
                parent = parent[part]
            action = rng.random()
            if action < 0.7:
                parent[path[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))
            elif isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = {}
        except (KeyError, IndexError, TypeError):
            continue
    return document


def damaged_text(document, rng):
    if rng.random() < 0.15:  # byte-level damage: truncation or a flipped character
        text = json.dumps(document)
        if rng.random() < 0.5:
            return text[: rng.randrange(len(text))]
        position = rng.randrange(len(text))
        return text[:position] + rng.choice('}{"\\0x\u00ff') + text[position + 1 :]
    if rng.random() < 0.02:
        return "[" * 200_000 + "]" * 200_000
    if rng.random() < 0.02:
        return '{"format": "synalinks.program", "format_version": ' + "9" * 5000 + "}"
    return json.dumps(mutate(document, rng))


def check(error):
    assert isinstance(error, DOCUMENTED), f"{type(error).__name__}: {str(error)[:300]}"
    assert len(str(error)) < 1024, f"{len(str(error))} characters: {str(error)[:200]}"


@pytest.fixture
def originals(lm, tmp_path):
    """A real program file, variables file, manifest and backup, written by a short fit."""
    program = qa_program(lm)
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(seed=0),
        metrics=[synalinks.metrics.Accuracy()],
    )
    x, y = make_data(4)
    folder = tmp_path / "run"
    program.fit(
        x,
        y,
        batch_size=2,
        epochs=2,
        verbose=0,
        callbacks=[
            ProgramCheckpoint(folder / "c-{epoch}.json"),
            BackupAndRestore(folder / "backup", delete_checkpoint=False),
        ],
    )
    program.save_variables(folder / "v.variables.json")
    (manifest,) = folder.glob(".synalinks-checkpoints-*.json")
    return {
        "program": json.loads((folder / "c-2.json").read_text()),
        "variables": json.loads((folder / "v.variables.json").read_text()),
        "manifest": (manifest.name, json.loads(manifest.read_text())),
        "backup": json.loads((folder / "backup" / "backup.json").read_text()),
    }


def test_one_thousand_damaged_files_raise_only_documented_short_errors(lm, originals, tmp_path, capsys):
    rng = random.Random(2026)
    outcomes = {"loaded": 0, "refused": 0}
    folder = tmp_path / "fuzz"
    folder.mkdir()
    warnings.simplefilter("ignore")
    for index in range(1000):
        kind = ("program", "variables", "manifest", "backup")[index % 4]
        if kind == "program":
            path = folder / f"p{index}.json"
            path.write_text(damaged_text(originals["program"], rng))
            try:
                synalinks.programs.load_program(path)
                outcomes["loaded"] += 1
            except Exception as error:
                check(error)
                assert str(path) in str(error), f"every load error names the file: {error}"
                outcomes["refused"] += 1
            if index % 40 == 0:  # the CLI lists a folder with damaged files in it, without control characters
                assert cli_main(["checkpoints", "ls", str(folder)], out=print) in (0, 1)
                assert "\x1b" not in capsys.readouterr().out
        elif kind == "variables":
            path = folder / f"v{index}.variables.json"
            path.write_text(damaged_text(originals["variables"], rng))
            try:
                qa_program(lm).load_variables(path)
                outcomes["loaded"] += 1
            except Exception as error:
                check(error)
                outcomes["refused"] += 1
        else:
            run = tmp_path / f"{kind}{index}"
            run.mkdir()
            program = qa_program(lm)
            program.compile(
                reward=synalinks.rewards.ExactMatch(),
                optimizer=synalinks.optimizers.RandomFewShot(seed=0),
                metrics=[synalinks.metrics.Accuracy()],
            )
            if kind == "manifest":
                _, document = originals["manifest"]
                document = copy.deepcopy(document)
                document["state"]["filepath"] = str(run / "c-{epoch}.json")
                callback = ProgramCheckpoint(run / "c-{epoch}.json")
                with open(callback.manifest.path, "w") as file:
                    file.write(damaged_text(document, rng))
                callback.set_program(program)
                callback.on_train_begin()  # a damaged manifest is never an error: the folder is scanned
                callback.on_train_end()
                outcomes["loaded"] += 1
            else:
                (run / "backup.json").write_text(damaged_text(originals["backup"], rng))
                callback = CallbackList(
                    [BackupAndRestore(run, double_checkpoint=True)], add_history=True, program=program
                )
                try:
                    callback.on_train_begin()
                    outcomes["loaded"] += 1
                except Exception as error:
                    check(error)
                    outcomes["refused"] += 1
                finally:
                    callback.on_train_interrupted("test")
    assert outcomes["refused"] > 300 and outcomes["loaded"] > 100, outcomes


def test_a_damaged_latest_backup_falls_back_to_the_previous_one(lm, originals, tmp_path):
    rng = random.Random(5)
    fell_back = 0
    for attempt in range(10):
        run = tmp_path / f"run{attempt}"
        run.mkdir()
        (run / "backup.previous.json").write_text(json.dumps(originals["backup"]))
        damaged = mutate(originals["backup"], rng)
        for key in ("variables", "optimizer_state", "callback_states", "position"):  # damage inside, not the header
            if rng.random() < 0.5:
                damaged[key] = rng.choice([None, 3, "x", [1], {"a": 1}])
        (run / "backup.json").write_text(json.dumps(damaged))
        program = qa_program(lm)
        program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot(seed=0))
        backup = BackupAndRestore(run, double_checkpoint=True)
        callback = CallbackList([backup], add_history=True, program=program)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            callback.on_train_begin()
        callback.on_train_interrupted("test")
        assert backup.resumed
        fell_back += any("resuming from the previous one" in str(warning.message) for warning in caught)
        assert program.history.epoch == originals["backup"]["callback_states"]["History"]["epoch"]
    assert fell_back >= 8, fell_back


def test_a_compile_argument_refused_by_compile_names_the_file(lm, originals, tmp_path):
    document = copy.deepcopy(originals["program"])
    document["compile_config"]["steps_per_execution"] = True
    path = tmp_path / "p.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match="steps_per_execution") as caught:
        synalinks.programs.load_program(path)
    assert str(path) in str(caught.value)
