"""Reading the `.program.json` / `.variables.json` files that Synalinks writes.

Synalinks (the reference package, `synalinks_version` 0.10 and later) writes
Keras-style files with no `format` header: a functional program whose modules
carry their `inbound_nodes`, and variables grouped by module name. This module
upgrades them, in memory, to our format: the modules become our classes (the
arguments we do not have are listed in the program's `checkpoint_info`), the
graph becomes our nodes, and each module's trained state (instructions,
few-shot examples, predictions) goes to the module that plays its part here.
Our own files keep our format.
"""

import inspect

from synalinks.saving.file_format import FileFormatError
from synalinks.saving.object_registry import get_registered_object

# The reference's modules we build, with the argument names they keep here.
_SUPPORTED_MODULES = (
    "InputModule",
    "Generator",
    "ChainOfThought",
    "SelfCritique",
    "Decision",
    "MultiDecision",
    "Branch",
    "Identity",
    "Not",
    "And",
    "Or",
    "Xor",
    "Concat",
    "InMask",
    "OutMask",
)
_RENAMED_CLASSES = {"Concatenate": "Concat"}


def _is_serialized(value):
    return isinstance(value, dict) and "class_name" in value and "config" in value


def _arguments_of(cls):
    """The argument names `cls(...)` takes, those its `**kwargs` hand to its bases included."""
    accepted = set()
    for klass in cls.__mro__:
        if "__init__" not in vars(klass) or klass is object:
            continue
        parameters = inspect.signature(klass.__init__).parameters.values()
        accepted |= {p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        if not any(p.kind is p.VAR_KEYWORD for p in parameters):
            break
    return accepted - {"self"}


class _Upgrade:
    """One file's upgrade: what it builds, and the arguments it had to leave out."""

    def __init__(self, path):
        self.path = path
        self.ignored = []

    def fail(self, message):
        raise FileFormatError(f"'{self.path}' (written by Synalinks) cannot be loaded here: {message}")

    def object(self, serialized, where):
        """A serialized reference object (a module, language model, reward, ...) as our serialized object."""
        class_name = _RENAMED_CLASSES.get(serialized["class_name"], serialized["class_name"])
        cls = get_registered_object(f"synalinks>{class_name}")
        if cls is None or not inspect.isclass(cls):
            self.fail(f"{where} is a {class_name}, which synalinks does not have.")
        is_module = serialized.get("module", "").startswith("synalinks.modules") or class_name in _SUPPORTED_MODULES
        if is_module and class_name not in _SUPPORTED_MODULES:
            self.fail(
                f"{where} is a {class_name} module; the modules read from Synalinks files are {list(_SUPPORTED_MODULES)}."
            )
        config = {key: self.value(value, f"{where}.{key}") for key, value in serialized["config"].items()}
        accepted = _arguments_of(cls)
        kept = {}
        for key, value in config.items():
            if key in accepted:
                kept[key] = value
            elif value not in (None, [], {}, False):
                self.ignored.append(f"{where}.{key}")
        return {"class_name": class_name, "registered_name": f"synalinks>{class_name}", "config": kept}

    def value(self, value, where):
        if _is_serialized(value):
            return self.object(value, f"{where}({value['class_name']})")
        if isinstance(value, list):
            return [self.value(item, f"{where}[{index}]") for index, item in enumerate(value)]
        return value

    def reference(self, argument):
        """A symbolic input of a node, `{"class_name": "__symbolic_data_model__", ...}`, as our [module, node, position]."""
        if isinstance(argument, list):
            return [self.reference(item) for item in argument]
        history = (argument.get("config") or {}).get("synalinks_history") if isinstance(argument, dict) else None
        if not (isinstance(history, list) and len(history) == 3):
            self.fail(f"a node input has no synalinks_history: {str(argument)[:100]}")
        return list(history)

    def program(self, document):
        if document.get("class_name") != "Functional":
            self.fail(
                f"it holds a {document.get('class_name')!r} program; the programs read from Synalinks files are "
                "functional ones (synalinks.Program(inputs=..., outputs=...))."
            )
        config = document["config"]
        modules, nodes = [], []
        for index, entry in enumerate(config["modules"]):
            modules.append(self.object(entry, f"$.config.modules[{index}]"))
            for node in entry.get("inbound_nodes") or []:
                arguments = node.get("args") or []
                inputs = self.reference(arguments[0]) if len(arguments) == 1 else [self.reference(a) for a in arguments]
                nodes.append({"module": entry["config"]["name"], "inputs": inputs})

        def ends(references):
            references = [list(reference) for reference in references]
            return references[0] if len(references) == 1 else references

        return {
            "class_name": "Functional",
            "registered_name": "synalinks>Functional",
            "config": {
                "name": config.get("name"),
                "description": config.get("description"),
                "trainable": config.get("trainable", True),
                "modules": modules,
                "nodes": nodes,
                "inputs": ends(config["input_modules"]),
                "outputs": ends(config["output_modules"]),
            },
        }

    def compile_config(self, config):
        if not config:
            return None
        metrics = [
            self.object(metric, f"$.compile_config.metrics[{i}]")
            for i, metric in enumerate(config.get("metrics") or [])
        ]
        return {
            "optimizer": self.object(config["optimizer"], "$.compile_config.optimizer")
            if config.get("optimizer")
            else None,
            "reward": self.object(config["reward"], "$.compile_config.reward") if config.get("reward") else None,
            "reward_weights": config.get("reward_weights"),
            "metrics": metrics,
            "run_eagerly": config.get("run_eagerly", False),
            "steps_per_execution": config.get("steps_per_execution", 1),
        }


def _module_for(program, saved_name):
    """The module here that holds what the reference saved under `saved_name`.

    The reference keeps a module's prompt in an inner generator named
    `generator_<module>` (a Decision's: `generator_decision_<branch>`); here
    the module holds it itself (a Branch's decision is `<branch>_decision`).
    """
    modules = {module.name: module for module in [program, *program.modules]}
    name = saved_name.removeprefix("generator_")
    if name.startswith("decision_") and f"{name.removeprefix('decision_')}_decision" in modules:
        name = f"{name.removeprefix('decision_')}_decision"
    return modules.get(name) or modules.get(saved_name)


def _pairs(items, with_reward):
    pairs = []
    for item in items or []:
        if isinstance(item, dict) and "inputs" in item and "outputs" in item:
            pair = {"inputs": item["inputs"], "outputs": item["outputs"]}
            if with_reward:
                pair["reward"] = item.get("reward")
            pairs.append(pair)
    return pairs


def assign_synalinks_variables(program, document, path):
    """Puts the trained state of a Synalinks file (its `trainable_variables`) into `program`.

    Raises:
        FileFormatError: when a saved state has no module to go to here
            (nothing is assigned then).
    """
    assignments = []
    for saved_name, variables in (document.get("trainable_variables") or {}).items():
        module = _module_for(program, saved_name)
        state = next((v for v in getattr(module, "_own_variables", []) if v.name == "state"), None)
        if state is None:
            raise FileFormatError(
                f"'{path}' (written by Synalinks) holds the state of '{saved_name}', which matches no module with "
                f"a prompt in this program ({[m.name for m in program.modules]})."
            )
        for value in variables.values():
            assignments.append(
                (
                    state,
                    {
                        "instructions": value.get("instructions") or "",
                        "examples": _pairs(value.get("examples"), with_reward=False),
                        "predictions": _pairs(value.get("predictions"), with_reward=True),
                    },
                )
            )
    for variable, value in assignments:
        errors = variable.validate(value)
        if errors:
            raise FileFormatError(
                f"'{path}' (written by Synalinks): the state of {variable.path} is invalid: {errors[0]}"
            )
    for variable, value in assignments:
        variable.assign(value)


def upgrade_program_document(document, path):
    """`(program config, compile config, metadata)` in our format from a Synalinks program file."""
    upgrade = _Upgrade(path)
    program = upgrade.program(document)
    compile_config = upgrade.compile_config(document.get("compile_config"))
    metadata = {"upgraded_from": f"synalinks {document.get('synalinks_version')}", "ignored_arguments": upgrade.ignored}
    return program, compile_config, metadata
