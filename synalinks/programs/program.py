"""`Program`: a module that can be trained, evaluated, saved and loaded."""

import json

from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.language_models.language_model import LanguageModel
from synalinks.modules.module import Module
from synalinks.programs import program_files
from synalinks.programs.summary import program_summary
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.saving.serialization import serialize
from synalinks.trainers.trainer import Trainer
from synalinks.utils.async_utils import run_without_waiting
from synalinks.utils.tree import flatten, map_structure


def _symbolic_input(inputs):
    """`inputs` (a DataModel class, a JSON schema or a `SymbolicDataModel`) as a `synalinks.Input`."""
    from synalinks.modules.core.input_module import Input

    if isinstance(inputs, dict):
        return Input(schema=inputs)
    if isinstance(inputs, SymbolicDataModel) or isinstance(inputs, (list, tuple)):
        return inputs
    return Input(data_model=inputs)


def _schema_of_value(value):
    """The schema of a real input value (a data model or a list of them), to build a program on."""
    if isinstance(value, (list, tuple)):
        return [_symbolic_input(_schema_of_value(item)) for item in value]
    return value.get_schema()


@register_synalinks_serializable(package="synalinks")
class Program(Trainer, Module):
    """A program: modules wired together, with `compile`, `fit`, `evaluate`, `predict`.

    There are three ways to make one:

    - Functional: trace calls from `synalinks.Input`, then
      `synalinks.Program(inputs=..., outputs=...)`.
    - `synalinks.Sequential([...])` for a chain of modules.
    - Subclassing: set modules as attributes in `__init__` and write
      `async def call(self, inputs, training=False)`. To save and load a
      subclassed program, register the class and give it `get_config` /
      `from_config` when its constructor takes arguments.

    Args:
        inputs: The `synalinks.Input` value(s) (functional programs).
        outputs: The symbolic output(s) (functional programs).
        name: The program's name.
        description: What the program does.
        trainable: Whether its variables may be trained.

    Example:

    ```python
    inputs = synalinks.Input(data_model=Query)
    outputs = await synalinks.Generator(data_model=Answer, language_model=lm)(inputs)
    program = synalinks.Program(inputs=inputs, outputs=outputs, name="qa")

    class QA(synalinks.Program):
        def __init__(self, language_model=None, **kwargs):
            super().__init__(**kwargs)
            self.answer = synalinks.Generator(data_model=Answer, language_model=language_model)

        async def call(self, inputs, training=False):
            return await self.answer(inputs, training=training)
    ```
    """

    def __new__(cls, *args, **kwargs):
        if cls is Program and ("inputs" in kwargs or "outputs" in kwargs or args):
            from synalinks.programs.functional import Functional  # functional.py imports this file

            return Functional.__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, name=None, description=None, trainable=True, inputs=None, outputs=None, **kwargs):
        if args or kwargs:
            raise TypeError(
                f"{type(self).__name__}() got unexpected arguments {list(kwargs) or args}; "
                "a subclassed Program's __init__ must pass only name/description/trainable to super().__init__ "
                "(and inputs/outputs in its `build`, the mixing style)."
            )
        if "_tracked_modules" not in self.__dict__:  # not when `build` calls it again (the mixing style)
            Module.__init__(self, name=name, description=description, trainable=trainable)
            Trainer.__init__(self)
            self._graph = None
        if inputs is not None or outputs is not None:
            self._set_mixing_graph(inputs, outputs, name, description)

    def _set_mixing_graph(self, inputs, outputs, name, description):
        """The mixing style: a subclass's `build` made the functional graph its computation."""
        from synalinks.programs.functional import Functional  # functional.py imports this file

        self._graph = Functional(inputs=inputs, outputs=outputs, name=f"{name or self.name}_graph")
        self.name = name or self.name
        self.description = description or self.description
        for module in self._graph.modules:
            if module not in self._tracked_modules:
                self._tracked_modules.append(module)
        self._input_leaves, self._inputs, self._outputs = self._graph._input_leaves, inputs, outputs

    async def build(self, inputs):
        """Traces the program on symbolic inputs, so its input and output data models are known.

        For subclassed programs (functional ones are built when made): `inputs`
        is a DataModel class, a JSON schema or a `SymbolicDataModel`. Returns
        the symbolic output.

        A subclass may write its own `async def build(self, inputs)` that
        traces modules on `inputs` and ends with `super().__init__(inputs=inputs,
        outputs=outputs, name=self.name)` (Synalinks' "mixing" style): the
        program is then that graph, built the first time it is called.

        Example:

        ```python
        class MyProgram(synalinks.Program):
            def __init__(self):
                super().__init__()
                self.answer = synalinks.Generator(data_model=Answer, language_model=lm)

            async def call(self, inputs, training=False):
                return await self.answer(inputs, training=training)

        program = MyProgram()
        await program.build(Query)
        program.summary()
        ```
        """
        inputs = _symbolic_input(inputs)
        if getattr(self, "_nodes", None) or getattr(self, "_graph", None) is not None:
            return self._outputs  # built already
        outputs = await self.call(inputs, training=False)
        self._input_leaves, self._outputs = flatten(inputs), outputs
        return outputs

    async def call(self, inputs, training=False):
        """Runs the graph a mixing-style `build` made (building it first, from the inputs' schemas)."""
        if self._graph is None:
            if type(self).build is Program.build:
                raise NotImplementedError(
                    f"{type(self).__name__} must implement `async def call(self, inputs, training=False)` "
                    "(or `async def build(self, inputs)` that makes a functional graph)."
                )
            await self.build(_symbolic_input(_schema_of_value(inputs)))
        return await self._graph.call(inputs, training=training)

    def compute_output_spec(self, inputs):
        """The symbolic output for symbolic `inputs`: a subclass is built (traced) on them first."""
        if self._graph is None and not getattr(self, "_outputs", None):
            run_without_waiting(self.build(inputs), who=f"{type(self).__name__}.build")
        outputs = self._graph._outputs if self._graph is not None else self._outputs
        return map_structure(lambda symbolic: SymbolicDataModel(schema=symbolic.get_schema()), outputs)

    def get_input_specs(self):
        """One `{"name", "schema", "optional"}` per input of the program, in order (empty before a
        subclassed program is built). `fit`, `evaluate` and `predict` check `x` against them.

        Example:

        ```python
        [spec["name"] for spec in program.get_input_specs()]  # ["query"]
        ```
        """
        specs = []
        for leaf in getattr(self, "_input_leaves", None) or []:
            history = getattr(leaf, "_history", None)
            optional = bool(getattr(getattr(history, "module", None), "optional", False))
            specs.append({"name": leaf.name, "schema": leaf.get_schema(), "optional": optional})
        return specs

    def get_output_schema(self):
        """The JSON schema of the program's output, or None for a program of several outputs (or not built)."""
        outputs = getattr(self, "_outputs", None)
        if outputs is None or isinstance(outputs, (list, tuple)):
            return None
        return outputs.get_schema()

    def get_module(self, name=None, index=None):
        """Returns a module by `name` or by `index` (in `program.modules`, from 0).

        Example:

        ```python
        generator = program.get_module(name=program.modules[-1].name)
        first = program.get_module(index=0)
        ```
        """
        if (name is None) == (index is None):
            raise ValueError("Give get_module either `name` or `index`.")
        modules = self.modules
        if index is not None:
            if not isinstance(index, int) or not -len(modules) <= index < len(modules):
                raise ValueError(
                    f"get_module: index {index!r} is out of range; the program has {len(modules)} modules."
                )
            return modules[index]
        for module in modules:
            if module.name == name:
                return module
        raise ValueError(f"No module is named {name!r}; the program has {[module.name for module in modules]}.")

    def to_json(self, **kwargs):
        """The program's architecture as a JSON string (no variables: see `save`), for `program_from_json`.

        Example:

        ```python
        text = program.to_json(indent=2)
        same = synalinks.programs.program_from_json(text)
        ```
        """
        return json.dumps(serialize(self), **kwargs)

    def get_state_tree(self):
        """The variables as `{"trainable_variables": {path: value}, "non_trainable_variables": {...}}`."""
        return {
            "trainable_variables": {variable.path: variable.get_json() for variable in self.trainable_variables},
            "non_trainable_variables": {
                variable.path: variable.get_json() for variable in self.non_trainable_variables
            },
        }

    def set_state_tree(self, state_tree):
        """Assigns variables from a `get_state_tree()` output, all or nothing.

        Raises:
            ValueError: naming the paths the tree has that the program lacks (or the reverse), or a value
                that does not match its variable's schema.
        """
        values = {}
        for group in ("trainable_variables", "non_trainable_variables"):
            values.update((state_tree or {}).get(group) or {})
        variables = {variable.path: variable for variable in self.variables}
        if set(values) != set(variables):
            raise ValueError(
                f"The state tree does not fit this program: missing {sorted(set(variables) - set(values))}, "
                f"unknown {sorted(set(values) - set(variables))}."
            )
        for path, value in values.items():
            errors = variables[path].validate(value)
            if errors:
                raise ValueError(f"The state tree's {path} does not match its schema: {'; '.join(errors[:3])}")
        for path, value in values.items():
            variables[path].assign(value)

    def summary(self, print_fn=print):
        """Prints each module, its output schema, its variables and whether it is trainable."""
        print_fn(program_summary(self))

    def language_models(self):
        """The language models its modules use (each once)."""
        found = []
        for module in [self, *self.modules]:
            for value in vars(module).values():
                if isinstance(value, LanguageModel) and value not in found:
                    found.append(value)
        return found

    def lm_usage(self):
        """What its language models have cost so far: `{model: usage counters}`.

        Example:

        ```python
        program.lm_usage()
        # {"openai/gpt-4o-mini": {"calls": 96, "cache_hits": 0, "prompt_tokens": 20412, "cost": 0.0031, ...}}
        ```
        """
        usage = {}
        for language_model in self.language_models():
            totals = usage.setdefault(language_model.model, dict.fromkeys(language_model.usage.FIELDS, 0))
            for name, value in language_model.usage.as_dict().items():
                if name in totals:
                    totals[name] += value
        for totals in usage.values():
            totals["mean_latency"] = totals["latency"] / totals["calls"] if totals["calls"] else 0.0
        return usage

    def save(self, filepath, metadata=None):
        """Saves the whole program (architecture, variables, compile config) to a `.json` file.

        Example:

        ```python
        program.save("qa.json")
        program = synalinks.programs.load_program("qa.json")
        ```
        """
        program_files.save_program(self, filepath, metadata=metadata)

    def save_variables(self, filepath, metadata=None):
        """Saves only the variables (instructions, examples, ...) to a `.json` file.

        Example:

        ```python
        program.save_variables("qa.variables.json")
        program.load_variables("qa.variables.json")
        ```
        """
        program_files.save_variables(self, filepath, metadata=metadata)

    def load_variables(self, filepath):
        """Loads variables saved by `save_variables` (or from a whole-program file).

        The file must come from a program of the same architecture; nothing is
        changed unless every variable fits.
        """
        program_files.load_variables(self, filepath)

    @staticmethod
    def load(filepath, custom_objects=None, compile=True):
        """Loads a program saved with `save`; same as `synalinks.programs.load_program`."""
        return program_files.load_program(filepath, custom_objects=custom_objects, compile=compile)
