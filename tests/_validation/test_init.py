"""Tests of the :mod:`dlbigdata._validation` package: one place to import every check from."""

from __future__ import annotations

import importlib
import inspect

import pytest

from dlbigdata import _validation as v

MODULES = ["arrays", "labels", "scalars", "sequences", "tables"]


def test_every_name_in_all_is_importable():
    assert sorted(v.__all__) == v.__all__
    for name in v.__all__:
        assert hasattr(v, name), name


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_checker_of_a_module_is_re_exported(module_name):
    module = importlib.import_module(f"dlbigdata._validation.{module_name}")
    functions = [
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and not name.startswith("_")
    ]
    assert functions
    for name in functions:
        assert name in v.__all__ and getattr(v, name) is getattr(module, name), name


@pytest.mark.parametrize("module_name", MODULES)
def test_checkers_take_the_name_first(module_name):
    module = importlib.import_module(f"dlbigdata._validation.{module_name}")
    exceptions = {"describe", "as_float", "has_shape", "shape_text"}
    exceptions |= {"require_same_index", "require_same_kind", "require_paired_labels"}
    for name, value in vars(module).items():
        if inspect.isfunction(value) and name.startswith("require_") and name not in exceptions:
            first = next(iter(inspect.signature(value).parameters))
            assert first == "name", f"{module_name}.{name} takes {first!r} first"
