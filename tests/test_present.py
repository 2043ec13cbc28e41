"""Показ на занятии без браузера: настройки tools.present, сохранение без лишних правок, числа в ноутбуках.

Сам показ в браузере — tests/test_live_slides.py; здесь то, что можно проверить быстро и без Chromium.
"""
import json
from pathlib import Path

import pytest

from tools import present
from tools.execute_notebooks import as_javascript_writes

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


class FakeContentsManager:
    def __init__(self, root_dir):
        self.root_dir = str(root_dir)


def saved_model(language_info):
    return {"type": "notebook", "content": {"metadata": {"language_info": language_info}, "cells": []}}


@pytest.fixture
def stored(tmp_path):
    info = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
    (tmp_path / "nb.ipynb").write_text(json.dumps({"metadata": {"language_info": info}}), encoding="utf-8")
    return tmp_path, info


def test_save_keeps_the_stored_python_version(stored):
    root, info = stored
    model = saved_model({**info, "version": "3.12.1"})
    present.keep_language_version(model, "nb.ipynb", FakeContentsManager(root))
    assert model["content"]["metadata"]["language_info"] == info


@pytest.mark.parametrize("change", [{"name": "julia"}, {"mimetype": "text/x-julia"}])
def test_save_keeps_any_other_language_change(stored, change):
    root, info = stored
    new = {**info, "version": "3.12.1", **change}
    model = saved_model(dict(new))
    present.keep_language_version(model, "nb.ipynb", FakeContentsManager(root))
    assert model["content"]["metadata"]["language_info"] == new


def test_save_of_a_new_file_or_not_a_notebook_is_untouched(stored):
    root, info = stored
    model = saved_model({**info, "version": "3.12.1"})
    present.keep_language_version(model, "new.ipynb", FakeContentsManager(root))
    assert model["content"]["metadata"]["language_info"]["version"] == "3.12.1"
    text = {"type": "file", "content": "x"}
    present.keep_language_version(text, "nb.ipynb", FakeContentsManager(root))
    assert text == {"type": "file", "content": "x"}


def test_lab_arguments_serve_notebooks_and_give_way_to_the_caller():
    args = present.lab_arguments("/tmp/settings")
    assert f"--ServerApp.root_dir={present.NOTEBOOKS}" in args
    assert "--LabApp.app_settings_dir=/tmp/settings" in args
    assert "--ContentsManager.pre_save_hook=tools.present.keep_language_version" in args
    mine = present.lab_arguments("/tmp/settings", ["--ServerApp.root_dir=/elsewhere", "--port=9999"])
    assert [a for a in mine if a.startswith("--ServerApp.root_dir=")] == ["--ServerApp.root_dir=/elsewhere"]
    assert mine[-1] == "--port=9999"


def test_presenting_settings(tmp_path):
    present.write_settings(tmp_path)
    settings = json.loads((tmp_path / "overrides.json").read_text(encoding="utf-8"))
    assert settings["@jupyterlab/docmanager-extension:plugin"] == {"autosave": False}
    keys = {tuple(s["keys"]): s["command"]
            for s in settings["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]}
    assert keys == {("Home",): "RISE:firstSlide", ("End",): "RISE:lastSlide", ("W",): "RISE:toggleOverview",
                    ("Escape",): "RISE:toggleOverview"}


def test_javascript_numbers():
    nb = {"a": [1.0, 2.5, {"b": -2.0, "c": True, "d": "3.0"}], "e": 1e300}
    assert as_javascript_writes(nb) == {"a": [1, 2.5, {"b": -2, "c": True, "d": "3.0"}], "e": 1e300}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_numbers_are_written_as_jupyterlab_writes_them(path):
    """JupyterLab сохраняет ноутбук через JSON браузера (Alt+R сохраняет перед показом): 3.0 он запишет как 3.
    В сохранённом ноутбуке таких чисел нет, иначе показ менял бы файл (tools/execute_notebooks.py)."""
    floats = []

    def walk(node, where):
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if isinstance(value, float) and value.is_integer():
                floats.append(f"{where}/{key}: {value!r}")
            walk(value, f"{where}/{key}")

    walk(json.loads(path.read_text(encoding="utf-8")), "")
    assert not floats, f"{path.name}: целые числа с точкой (python -m tools.execute_notebooks {path}): {floats[:5]}"
