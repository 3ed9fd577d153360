"""The apps' layers hold: `lint-imports` (import-linter) keeps the contract in pyproject.toml's
``[tool.importlinter]`` — every app imports only apps below it, and no two apps import each other."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contract_is_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")  # import-linter's command, beside this Python
    result = subprocess.run([str(lint_imports), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
