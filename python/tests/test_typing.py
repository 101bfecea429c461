"""The package is typed: its annotations and the compiled half's stubs hold under mypy --strict."""

import os

import pytest

import slacredit


def test_the_installed_package_passes_mypy_strict():
    api = pytest.importorskip("mypy.api")
    package = os.path.dirname(slacredit.__file__)
    assert os.path.exists(os.path.join(package, "py.typed"))
    assert os.path.exists(os.path.join(package, "_slacredit.pyi"))
    out, err, status = api.run(["--strict", "--ignore-missing-imports", "--no-incremental", package])
    assert status == 0, out + err
