"""`Dataset`: rows streamed from a source, turned into batches of data models for fit/evaluate/predict."""

import json

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.utils.checks import check_positive_int
from synalinks.utils.template_sandbox import bounded_environment, render_bounded


class DatasetRowError(ValueError):
    """A row of a dataset does not give a valid input or target; says which row and why."""


def _schema_or_none(schema):
    if isinstance(schema, str):
        schema = json.loads(schema)
    if schema is not None and not isinstance(schema, dict):
        raise TypeError(f"A JSON schema must be a dict (or its JSON text), got {type(schema).__name__}.")
    return schema


def _template(text, what):
    if text is None:
        return None
    if not isinstance(text, str):
        raise TypeError(f"`{what}` must be a Jinja2 template string, got {type(text).__name__}.")
    from jinja2 import StrictUndefined

    return bounded_environment(undefined=StrictUndefined).from_string(text)


class Dataset:
    """The base of streaming datasets: rows read one at a time, batched for `fit`, `evaluate`, `predict`.

    Subclasses implement `iter_rows()`, yielding `(where, row)` pairs: a
    place in the source (`"orders.jsonl:12"`, for errors) and a dict. Each
    row becomes an input (and a target when the dataset has outputs):

    - with `input_template`, a Jinja2 template (rendered in a sandbox) that
      turns the row into the input's JSON (`'{"query": {{ question | tojson }}}'`);
    - without, the row's fields of the input data model are taken as they are.

    The input is an `input_data_model` instance, or a `JsonDataModel` of
    `input_schema`; the same for the target with `output_*` (no output: an
    inputs-only dataset, for `predict`). Rows stream: memory holds one batch
    at a time. A row that gives an invalid value raises `DatasetRowError`
    naming the row; nothing is skipped silently.

    Pass the dataset itself as `x` (`program.fit(x=dataset)`: each epoch
    reads it again from the start) or, as Synalinks writes it, a fresh
    generator of its batches (`program.evaluate(x=dataset())`).

    Args:
        input_data_model: The `DataModel` class of the inputs.
        input_schema: A JSON schema for the inputs, instead (dict or JSON text).
        input_template: A Jinja2 template rendering a row as the input's JSON.
        output_data_model: The `DataModel` class of the targets.
        output_schema: A JSON schema for the targets, instead.
        output_template: A Jinja2 template rendering a row as the target's JSON.
        batch_size: Samples per batch (None: one batch of everything).
        limit: The most rows read (None: all).
        repeat: Copies of each row, one after the other (e.g. `batch_size`
            copies: each batch holds k samples of one problem, for `PassAtK`).

    Example:

    ```python
    dataset = synalinks.datasets.JSONLDataset(
        "questions.jsonl",
        input_data_model=Query,
        input_template='{"query": {{ question | tojson }}}',
        output_data_model=Answer,
        output_template='{"answer": {{ answer | tojson }}}',
        batch_size=8,
    )
    program.fit(x=dataset, epochs=3)
    ```
    """

    def __init__(
        self,
        input_data_model=None,
        input_schema=None,
        input_template=None,
        output_data_model=None,
        output_schema=None,
        output_template=None,
        batch_size=None,
        limit=None,
        repeat=1,
    ):
        if input_data_model is not None and input_schema is not None:
            raise ValueError("Give `input_data_model` or `input_schema`, not both.")
        if output_data_model is not None and output_schema is not None:
            raise ValueError("Give `output_data_model` or `output_schema`, not both.")
        if input_data_model is None and input_schema is None:
            raise ValueError(
                "A dataset needs the inputs' type: `input_data_model=...` (a DataModel class) or `input_schema=...`."
            )
        if output_template is not None and output_data_model is None and output_schema is None:
            raise ValueError("`output_template` needs `output_data_model=...` or `output_schema=...`.")
        check_positive_int(batch_size, "batch_size", allow_none=True)
        check_positive_int(limit, "limit", allow_none=True)
        check_positive_int(repeat, "repeat")
        self.input_data_model = input_data_model
        self.input_schema = _schema_or_none(input_schema)
        self.input_template = input_template
        self.output_data_model = output_data_model
        self.output_schema = _schema_or_none(output_schema)
        self.output_template = output_template
        self.batch_size = batch_size
        self.limit = limit
        self.repeat = repeat
        self._input_template = _template(input_template, "input_template")
        self._output_template = _template(output_template, "output_template")

    @property
    def has_targets(self):
        return self.output_data_model is not None or self.output_schema is not None

    def iter_rows(self):
        """Yields `(where, row)`: a place in the source and the row as a dict."""
        raise NotImplementedError(f"{type(self).__name__} must implement `iter_rows()`.")

    def _value(self, row, where, data_model, schema, template, side):
        try:
            if template is not None:
                fields = json.loads(render_bounded(template, **row))
            else:
                names = list(data_model.model_fields) if data_model is not None else list(schema.get("properties", {}))
                fields = {name: row[name] for name in names if name in row}
            if data_model is not None:
                return data_model.model_validate(fields)
            value = JsonDataModel(schema=schema, json=fields)
            from synalinks.data_models.schema_validation import schema_errors

            errors = schema_errors(fields, schema)
            if errors:
                raise ValueError("; ".join(errors[:3]))
            return value
        except Exception as error:  # a template error, invalid JSON, a validation error: all name the row
            raise DatasetRowError(
                f"{where}: the row does not give a valid {side} ({type(error).__name__}: {str(error)[:300]})."
            ) from error

    def samples(self):
        """Yields `(x, y)` per sample (`y` is None without outputs), `repeat` times per row, at most `limit` rows."""
        for count, (where, row) in enumerate(self.iter_rows()):
            if self.limit is not None and count >= self.limit:
                return
            x = self._value(row, where, self.input_data_model, self.input_schema, self._input_template, "input")
            y = None
            if self.has_targets:
                y = self._value(row, where, self.output_data_model, self.output_schema, self._output_template, "target")
            for _ in range(self.repeat):
                yield x, y

    def __iter__(self):
        """Yields batches: `(x_batch, y_batch)` numpy object arrays, or `(x_batch,)` without outputs."""
        xs, ys = [], []
        for x, y in self.samples():
            xs.append(x)
            ys.append(y)
            if self.batch_size is not None and len(xs) == self.batch_size:
                yield self._batch(xs, ys)
                xs, ys = [], []
        if xs:
            yield self._batch(xs, ys)

    def _batch(self, xs, ys):
        import numpy as np  # imported at first use: it is slow to import

        x_batch = np.empty(len(xs), dtype=object)
        x_batch[:] = xs
        if not self.has_targets:
            return (x_batch,)
        y_batch = np.empty(len(ys), dtype=object)
        y_batch[:] = ys
        return x_batch, y_batch

    def __call__(self):
        """A fresh generator of the batches (Synalinks' `program.fit(x=dataset())`)."""
        return iter(self)

    def count_rows(self):
        """How many rows the source holds (reading it through)."""
        return sum(1 for _ in self.iter_rows())

    def __len__(self):
        """The number of batches (the source is read through to count its rows)."""
        rows = self.count_rows()
        if self.limit is not None:
            rows = min(rows, self.limit)
        samples = rows * self.repeat
        if self.batch_size is None:
            return 1 if samples else 0
        return -(-samples // self.batch_size)
