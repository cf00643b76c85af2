import json
import os

import pytest

import synalinks
from synalinks.saving import (
    PROGRAM_FORMAT,
    DeserializationError,
    FileFormatError,
    atomic_write_text,
    deserialize,
    read_json_file,
    register_synalinks_serializable,
    serialize,
    write_json_file,
)


def test_atomic_write_creates_folders_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "a" / "b" / "file.json"
    atomic_write_text(path, '{"x": 1}')
    assert json.loads(path.read_text()) == {"x": 1}
    assert os.listdir(path.parent) == ["file.json"]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "file.json"
    atomic_write_text(path, "old")

    def failing_replace(source, destination):
        raise OSError("rename refused")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="rename refused"):
        atomic_write_text(path, "new")
    monkeypatch.undo()
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["file.json"]


def test_file_header_round_trip(tmp_path):
    path = tmp_path / "p.json"
    write_json_file(path, PROGRAM_FORMAT, {"program": {}, "variables": []})
    document = read_json_file(path, PROGRAM_FORMAT)
    assert document["format"] == "synalinks.program"
    assert document["format_version"] == 1
    assert document["synalinks_version"] == synalinks.__version__


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"format": "synalinks.program", "format_version": 1, "prog', "not valid JSON"),
        ("[1, 2]", "no 'format' header"),
        ('{"format": "synalinks.program", "format_version": 99}', "format version 99"),
        ('{"format": "synalinks.program", "format_version": "one"}', "invalid format_version"),
        ('{"format": "synalinks.variables", "format_version": 1}', "is a variables file"),
        ("\udcff", "not UTF-8"),
    ],
)
def test_bad_files_give_clear_errors_naming_the_file(tmp_path, content, message):
    path = tmp_path / "bad.json"
    if content == "\udcff":
        path.write_bytes(b"\xff\xfe\x00bad")
    else:
        path.write_text(content)
    with pytest.raises(FileFormatError, match=message) as error:
        read_json_file(path, PROGRAM_FORMAT)
    assert str(path) in str(error.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="No such synalinks program file"):
        read_json_file(tmp_path / "nothing.json", PROGRAM_FORMAT)
    with pytest.raises(FileFormatError, match="is a folder"):
        read_json_file(tmp_path, PROGRAM_FORMAT)


def test_serialize_round_trip_of_registered_class():
    reward = synalinks.rewards.ExactMatch(in_mask=["answer"])
    config = serialize(reward)
    assert config["registered_name"] == "synalinks>ExactMatch"
    rebuilt = deserialize(json.loads(json.dumps(config)))
    assert isinstance(rebuilt, synalinks.rewards.ExactMatch) and rebuilt.in_mask == ["answer"]


def test_deserialize_never_imports_unknown_names():
    config = {"class_name": "system", "registered_name": "os>system", "config": {}}
    with pytest.raises(DeserializationError, match="Unknown object 'os>system'"):
        deserialize(config)


def test_user_registration_and_custom_objects():
    @register_synalinks_serializable(package="tests")
    def my_fn(y_true, y_pred):
        return 1.0

    assert deserialize(serialize(my_fn)) is my_fn

    def unregistered(y_true, y_pred):
        return 0.0

    config = serialize(unregistered)
    with pytest.raises(DeserializationError, match="register_synalinks_serializable"):
        deserialize(config)
    assert deserialize(config, custom_objects={"unregistered": unregistered}) is unregistered


def test_malformed_config_is_rejected():
    with pytest.raises(DeserializationError, match="registered_name"):
        deserialize({"class_name": "X"})
