"""``yichuang --help`` lists our commands by their hyphenated names; ``--version`` prints ours (issue 19, item 9)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from yichuang import cli

ROOT = Path(__file__).resolve().parents[2]


def _run(capsys, *args: str) -> str:
    cli.main(["yichuang", *args])
    return capsys.readouterr().out


def _readme_commands() -> set[str]:
    """The subcommands named in the README's commands table (| `yichuang NAME …` | …)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## 命令 Commands", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `yichuang ")]
    return {name for row in rows for name in re.findall(r"`yichuang ([a-z][a-z-]*)", row)}


@pytest.mark.parametrize("word", ["--help", "-h", "help", None])
def test_help_lists_our_commands_hyphenated_with_one_line_each(capsys, word):
    out = _run(capsys, *([word] if word else []))
    listed = dict(re.findall(r"^  ([a-z][a-z-]+)  +(\S.*)$", out, re.MULTILINE))
    expected = {"demo", "import-catalog", "export-catalog", "workdays", "calendar", "case-jobs", "hall-close-day",
                "tick", "scheduler", "pki-demo", "verify-pdf", "licence-jobs", "simulate", "plan", "openapi", "audit",
                "backup", "restore", "pii"}
    assert expected <= set(listed), expected - set(listed)
    assert not any("_" in name for name in listed)
    assert all(text.strip() and len(text) <= cli.LINE_WIDTH for text in listed.values())
    assert "migrate" not in listed and "runserver" not in listed   # Django's commands are not ours…
    assert "Django" in out and "yichuang migrate" in out               # …but they are said to pass through


def test_help_matches_the_readme_table(capsys):
    listed = set(re.findall(r"^  ([a-z][a-z-]+)  ", _run(capsys, "--help"), re.MULTILINE))
    readme = _readme_commands()
    assert readme == listed, (readme - listed, listed - readme)


def test_every_command_of_ours_has_a_summary():
    assert {name for name, _text in cli.our_commands()} == set(cli.SUMMARIES)


@pytest.mark.parametrize("word", ["--version", "version"])
def test_version_is_ours(capsys, word):
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert _run(capsys, word) == f"yichuang {expected}\n"


def test_help_for_one_command_takes_the_hyphenated_name(capsys):
    out = _run(capsys, "help", "import-catalog")
    assert "--dry-run" in out


def test_django_commands_pass_through(capsys):
    out = _run(capsys, "help", "--commands")
    assert "migrate" in out.split() and "import_catalog" in out.split()


def test_console_script_help_and_version():
    """The installed entry point, as a user runs it."""
    for args, needle in ((["--help"], "import-catalog"), (["--version"], "yichuang 0.")):
        done = subprocess.run([sys.executable, "-m", "yichuang.cli", *args], capture_output=True, text=True,
                              timeout=120, check=True)
        assert needle in done.stdout
