"""The package is typed: its annotations and the compiled half's stubs hold under mypy --strict."""

import os

import pytest

import slacredit


def test_the_installed_package_passes_mypy_strict(monkeypatch, tmp_path):
    api = pytest.importorskip("mypy.api")
    # Away from the repository: its tree holds the test venv (target/py-venv), whose
    # site-packages mypy would otherwise read as the project's own files.
    monkeypatch.chdir(tmp_path)
    package = os.path.dirname(slacredit.__file__)
    assert os.path.exists(os.path.join(package, "py.typed"))
    assert os.path.exists(os.path.join(package, "_slacredit.pyi"))
    # By module name: the installed package (py.typed), checked as a user's code would see it.
    out, err, status = api.run(
        ["--strict", "--ignore-missing-imports", "--no-incremental", "-p", "slacredit"]
    )
    assert status == 0, out + err
