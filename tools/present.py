"""Показать курс на занятии: JupyterLab со слайдами RISE, настроенный для показа.

    python -m tools.present                       # notebooks/ в браузере; в ноутбуке Alt+R — слайды
    python -m tools.present --port=9999           # любые параметры jupyter lab (--no-browser, --ip=...)

Это `jupyter lab notebooks/` с настройками для показа (README, «Для преподавателя»). Они действуют только в этом
запуске: настройки пользователя не трогаются, и у студентов, которые открывают курс обычной командой, всё как в
JupyterLab по умолчанию.
  * Автосохранение выключено. Ячейки, выполненные на слайдах (ползунки ноутбука 03, обучение с полосой
    прогресса), иначе через две минуты переписали бы ноутбук новыми выходами. Сохранить, если нужно, — Ctrl+S.
  * Клавиши слайдов Home, End и W работают всегда, Esc выходит из обзора. В jupyterlab-rise они привязаны к
    ячейке в фокусе, и после перехода на другой слайд (End, Home) переставали действовать, а Esc отключён.
    Пока ячейка кода редактируется, Home и End двигают курсор, как обычно.
  * Сохранение не переписывает версию Python в ноутбуке (metadata.language_info.version). Alt+R сохраняет
    ноутбук перед показом, а ядро сообщает свою версию Python: ноутбук, выполненный под 3.11, иначе менялся бы
    от одного показа под 3.12 (keep_language_version).
  * Не всплывает вопрос о новостях Jupyter и не проверяются обновления (на занятии без интернета — тем более).
Версии пакетов, с которыми в слайдах работают виджеты, — в pyproject.toml (группа jupyter).
"""
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

# Страница слайдов jupyterlab-rise: у неё на <body> класс rise-enabled (в самом JupyterLab его нет, так что
# привязки ниже действуют только в слайдах). :has() — Chromium 105+, Firefox 121+, Safari 15.4+.
_SLIDES = "body.rise-enabled"
_NOT_EDITING = _SLIDES + ":not(:has(.jp-mod-editMode))"

# Настройки JupyterLab поверх значений по умолчанию (overrides.json), id — как в Settings → Advanced Settings.
SETTINGS = {
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/shortcuts-extension:shortcuts": {"shortcuts": [
        {"command": "RISE:firstSlide", "keys": ["Home"], "selector": _NOT_EDITING},
        {"command": "RISE:lastSlide", "keys": ["End"], "selector": _NOT_EDITING},
        {"command": "RISE:toggleOverview", "keys": ["W"], "selector": _NOT_EDITING},
        {"command": "RISE:toggleOverview", "keys": ["Escape"], "selector": _SLIDES + ":has(.reveal.overview)"},
    ]},
}


def keep_language_version(model, path, contents_manager, **kwargs):
    """pre_save_hook сервера: оставить в сохраняемом ноутбуке metadata.language_info файла на диске, если
    новая отличается от неё только версией Python (её пишет ядро, открывшее ноутбук). Меняет model на месте."""
    content = model.get("content")
    if model.get("type") != "notebook" or not isinstance(content, dict):
        return
    new = content.get("metadata", {}).get("language_info")
    file = Path(contents_manager.root_dir, path)
    if not isinstance(new, dict) or not file.is_file():
        return
    try:
        old = json.loads(file.read_text(encoding="utf-8")).get("metadata", {}).get("language_info")
    except (OSError, ValueError):
        return
    if isinstance(old, dict) and _without_version(old) == _without_version(new):
        content["metadata"]["language_info"] = old


def _without_version(language_info):
    return {k: v for k, v in language_info.items() if k != "version"}


def lab_arguments(settings_dir, extra=()):
    """Аргументы jupyter lab для показа: настройки из settings_dir, папка notebooks/ и extra. Параметр из extra
    заменяет такой же здесь (--ServerApp.root_dir=... — другую папку вместо notebooks/)."""
    options = [f"--ServerApp.root_dir={NOTEBOOKS}",
               f"--LabApp.app_settings_dir={settings_dir}",
               "--ContentsManager.pre_save_hook=tools.present.keep_language_version",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.news_url=None"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.append("--allow-root")          # в контейнере и на учебном сервере часто работают под root
    given = {arg.split("=", 1)[0] for arg in extra}
    return [o for o in options if o.split("=", 1)[0] not in given] + list(extra)


def write_settings(settings_dir):
    Path(settings_dir, "overrides.json").write_text(json.dumps(SETTINGS, ensure_ascii=False, indent=1) + "\n",
                                                    encoding="utf-8")


def main(argv=None):
    from jupyterlab.labapp import LabApp

    extra = sys.argv[1:] if argv is None else argv
    with tempfile.TemporaryDirectory(prefix="course-lab-settings-") as settings_dir:
        write_settings(settings_dir)
        LabApp.launch_instance(argv=lab_arguments(settings_dir, extra))


if __name__ == "__main__":
    main()
