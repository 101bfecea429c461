"""Shared fixtures: the repository's root (tests run there, as the command does), and the
command built from the same sources, to hold the package's results against."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CASE = ROOT / "docs" / "cases" / "aws-seoul-2018"


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    """Relative paths (``contracts``) mean what they mean to the command."""
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="session")
def binary():
    """The command, built from the same sources as the package."""
    path = os.environ.get("SLACREDIT_BIN")
    if not path:
        subprocess.run(["cargo", "build", "--quiet", "--bin", "slacredit"], cwd=ROOT, check=True)
        path = str(ROOT / "target" / "debug" / "slacredit")
    return path


@pytest.fixture(scope="session")
def run(binary):
    """Runs the command in the root; its standard output."""

    def run(*args, input=None):
        done = subprocess.run(
            [binary, *args], cwd=ROOT, input=input, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run
