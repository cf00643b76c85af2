"""The Ray Dataset a distributed run goes over, from a Ray Dataset or from `x` / `y`."""

from synalinks.data_models.json_data_model import to_json_data_model
from synalinks.distributed.batch_runner import INDEX


def ray_dataset(ray, dataset=None, x=None, y=None, skip=0):
    """A Ray Dataset of rows holding the input fields (and the target fields beside them).

    Args:
        dataset: A `ray.data.Dataset` (its rows already hold the fields).
        x: Inputs (data models or dicts), instead of `dataset`.
        y: Targets beside `x` (for `evaluate`).
        skip: Leave out the first `skip` records of `x` (a run that goes on from a file).
    """
    if (dataset is None) == (x is None):
        raise ValueError("Give a Ray `dataset` or `x=` (with `y=` to evaluate), not both and not neither.")
    if dataset is not None:
        if not hasattr(dataset, "map_batches"):
            raise TypeError(
                f"`dataset` must be a ray.data.Dataset (e.g. ray.data.read_json(...)), got {type(dataset).__name__}; "
                "pass lists of data models as x= / y=."
            )
        if y is not None:
            raise ValueError("With a Ray `dataset`, its rows hold the targets: y= goes with x= only.")
        return dataset
    x = list(x)
    if y is not None:
        y = list(y)
        if len(y) != len(x):
            raise ValueError(f"x and y must have as many records: {len(x)} and {len(y)}.")
    rows = []
    for index in range(skip, len(x)):
        row = dict(to_json_data_model(x[index]).get_json()) if not isinstance(x[index], dict) else dict(x[index])
        if y is not None:
            target = to_json_data_model(y[index]).get_json() if not isinstance(y[index], dict) else y[index]
            clash = sorted(set(row) & set(target))
            if clash:
                raise ValueError(f"Inputs and targets share the field(s) {clash}: a row cannot hold both.")
            row.update(target)
        row[INDEX] = index
        rows.append(row)
    return ray.data.from_items(rows)
