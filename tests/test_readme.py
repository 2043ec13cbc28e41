"""README — входная дверь курса: список ноутбуков актуален, две команды на месте."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_after(marker):
    match = re.search(rf"<!-- {marker} -->\s*```bash\n(.+?)\n```", README)
    assert match, f"в README нет блока с командой после <!-- {marker} -->"
    return match.group(1)


def test_readme_lists_every_notebook():
    on_disk = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    listed = set(re.findall(r"\(notebooks/([^)]+\.ipynb)\)", README))
    assert listed == on_disk, f"README: нет в списке {on_disk - listed}, нет на диске {listed - on_disk}"


def test_two_commands_install_and_run():
    open_cmd, test_cmd = command_after("open-command"), command_after("test-command")
    install = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && "
    assert open_cmd.startswith(install) and "jupyter lab" in open_cmd
    assert test_cmd.startswith(install) and "pytest" in test_cmd


def test_ci_runs_the_readme_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci and 'bash -c "$cmd"' in ci
