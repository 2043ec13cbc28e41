"""Разметить ноутбуки на слайды: `metadata.slideshow.slide_type` каждой ячейки по правилам ниже.

    python -m tools.set_slide_metadata              # все notebooks/*.ipynb
    python -m tools.set_slide_metadata --check      # только проверить (код выхода 1, если разметка устарела)
    python -m tools.set_slide_metadata notebooks/03_*.ipynb

Ту же разметку читают RISE в JupyterLab (jupyterlab-rise) и `jupyter nbconvert --to slides`
(tools/build_site.py). Инструмент меняет только метаданные слайдов (у ячеек — `slideshow`, у ноутбука —
`rise`); текст, код и выходы не трогает, поэтому nbval не затронут. Повторный запуск ничего не меняет.
Ноутбук, добавленный позже, размечается той же командой; tests/test_slides_metadata.py проверяет,
что разметка каждого notebooks/*.ipynb совпадает с этими правилами.

Правила (по порядку, первое подходящее):
 1. Тег ячейки `slides-skip` -> skip (ячейки нет на слайдах); тег `slides-notes` -> notes (заметки докладчика,
    клавиша S). Пустая ячейка -> skip.
 2. Первая видимая ячейка -> slide (титульный слайд).
 3. Markdown, начинающаяся с заголовка `#` или `##` -> slide: новая тема — новый слайд по горизонтали.
 4. Markdown, начинающаяся с `###` (и мельче) -> subslide: шаг внутри темы — слайд вниз.
 5. Тег `slides-new` -> subslide (автор сам начинает новый слайд).
 6. Ячейка, которая не помещается на текущий слайд вместе с уже стоящими там ячейками, -> subslide.
    Высота оценивается (estimate_height) в пикселях слайда 1280x720 со шрифтами SLIDE_FONT_PX (их же берут
    слайды сайта, tools/build_site.py):
    строки текста с переносом, строки формул (у `aligned` — каждая строка `\\`), строки кода и текстового
    вывода, рисунок — по размеру PNG, растянутый по ширине слайда, но не выше FIGURE_MAX_HEIGHT.
    Так длинный вывод из нескольких ячеек расходится по нескольким слайдам, а рисунок не прижимается к
    низу переполненного слайда. Одна ячейка выше слайда всё равно займёт свой слайд целиком (в слайдах
    сайта он уменьшается до 75%, остаток прокручивается; в RISE — прокрутка): `--report` и обычный
    запуск перечисляют такие ячейки — их стоит разбить на две.
    Короткая подводка перед такой ячейкой (markdown до двух строк, без заголовка и формул в выносе, иначе
    была бы "-") переходит на новый слайд вместе с ней: "Нарисуем границу:" остаётся над рисунком.
 7. Ячейка кода с рисунком, которая помещается на текущий слайд, -> fragment: рисунок появляется по щелчку
    после объяснения.
 8. Остальные -> "-" (продолжение текущего слайда).

У ноутбука ставятся настройки RISE `metadata.rise`: прокрутка длинных слайдов, размер слайда как в
tools/build_site.py.
"""
import argparse
import base64
import math
import re
import struct
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
META_KEY = "slideshow"
TAG_SKIP, TAG_NOTES, TAG_NEW = "slides-skip", "slides-notes", "slides-new"

# Геометрия и шрифты слайда. tools/build_site.py берёт их отсюда (шрифты и высота рисунка попадают в CSS слайдов
# переменными :root, см. tools/site/static/slides.css); размеры строк ниже подобраны под эти шрифты — меняете
# шрифт, подберите и их (оценка расходится с высотой в браузере на ~10%, отсюда запас в SLIDE_BUDGET).
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
SLIDE_FONT_PX = {"text": 26, "ui": 22, "code": 21, "output": 19, "h1": 44, "h2": 38, "h3": 32}
TEXT_LINE_HEIGHT = 1.35       # межстрочный интервал текста и пунктов списка
SLIDE_BUDGET = 640            # px из 720: запас ~10% на ошибку оценки
FIGURE_MAX_HEIGHT = 440
MIN_ZOOM = 0.75               # слайд выше экрана уменьшается не сильнее (текст 26px -> 19.5px), дальше прокрутка
CONTENT_WIDTH = 1200          # ширина ячейки на слайде
TEXT_CHARS_PER_LINE = 74      # символов в строке текста при шрифте 26px
TEXT_LINE = 36                # px на строку текста
PARAGRAPH_GAP = 26
HEADING = {1: 80, 2: 70, 3: 60, 4: 50, 5: 45, 6: 45}
MATH_ROW, MATH_ROW_TALL, MATH_GAP = 56, 82, 40   # строка формулы; с дробью/суммой; отступы блока
CODE_LINE, CODE_PAD = 26, 28
OUT_LINE, OUT_PAD = 24, 12
CODE_CHARS_PER_LINE, OUT_CHARS_PER_LINE = 95, 105    # где вывод переносит строки (код на слайде не переносится)
TABLE_LINE, TABLE_PAD, TABLE_FONT_RATIO = 34, 12, 1.15
WIDGET_HEIGHT = 70
CELL_GAP = 14
LEAD_IN_MAX = 2 * TEXT_LINE + PARAGRAPH_GAP + CELL_GAP   # подводка — не больше двух строк текста

RISE_SETTINGS = {"scroll": True, "width": str(SLIDE_WIDTH), "height": str(SLIDE_HEIGHT)}

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s")
_COMMENT = re.compile(r"\s*<!--.*?-->\s*")
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_TALL = re.compile(r"\\(?:d?frac|sum|prod|int|binom|sqrt|left|big|Big|bigg|Bigg|partial\s*\^)|\\begin\{[pbvB]?matrix")


def heading_level(cell):
    """Уровень заголовка, с которого начинается markdown-ячейка (1..6), или 0."""
    if cell.cell_type != "markdown":
        return 0
    for line in cell.source.splitlines():
        if line.strip() and not _COMMENT.fullmatch(line):     # метки <!-- ... --> перед заголовком не в счёт
            m = _HEADING.match(line)
            return len(m.group(1)) if m else 0
    return 0


def _visible_length(text):
    """Примерная длина строки на экране: формула $...$ короче своего исходника, разметка не видна."""
    text = re.sub(r"\$([^$]+)\$", lambda m: "x" * max(1, len(m.group(1)) // 3), text)
    return len(re.sub(r"[*_`]|\]\([^)]*\)|<[^>]+>", "", text))


def _wrapped(length, chars_per_line):
    return max(1, math.ceil(length / chars_per_line))


def _table_height(rows):
    """Таблица markdown: каждая строка таблицы — одна или несколько строк текста."""
    rows = [r for r in rows if not re.fullmatch(r"[\s|:-]+", r)]          # без строки | --- |
    height = 0
    for row in rows:
        cells = row.strip().strip("|").split("|")
        # столбцы подстраиваются под содержимое: строка переносится, когда не влезает всё её содержимое;
        # код в `...` моноширинный и шире обычного текста
        length = sum(_visible_length(c) + 0.3 * sum(len(m) for m in re.findall(r"`([^`]*)`", c)) + 2
                     for c in cells)
        height += TABLE_PAD + TABLE_LINE * _wrapped(length, TEXT_CHARS_PER_LINE * TABLE_FONT_RATIO)
    return height + PARAGRAPH_GAP


def _text_height(text):
    """Высота markdown без формул в выносе: абзацы, пункты списков, таблицы, заголовки."""
    height = 0
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.splitlines() if ln.strip() and not _COMMENT.fullmatch(ln)]
        if not lines:
            continue
        m = _HEADING.match(lines[0])
        if m:
            height += HEADING[len(m.group(1))]
            lines = lines[1:]
        table = [ln for ln in lines if ln.lstrip().startswith("|")]
        if table:
            height += _table_height(table)
            lines = [ln for ln in lines if not ln.lstrip().startswith("|")]
        # пункты списка — отдельные строки; обычный абзац склеивается в одну длинную строку
        items, current = [], ""
        for ln in lines:
            if re.match(r"^\s*(?:[-*+]|\d+[.)])\s", ln) or ln.lstrip().startswith(">"):
                if current:
                    items.append(current)
                current = ln
            else:
                current = f"{current} {ln}" if current else ln
        if current:
            items.append(current)
        for item in items:
            height += TEXT_LINE * _wrapped(_visible_length(item), TEXT_CHARS_PER_LINE)
        if items:
            height += PARAGRAPH_GAP
    return height


def markdown_height(source):
    height = 0
    for m in _DISPLAY_MATH.finditer(source):
        rows = [r for r in re.split(r"\\\\", m.group(1)) if r.strip()]
        height += MATH_GAP + sum(MATH_ROW_TALL if _TALL.search(r) else MATH_ROW for r in rows)
    return height + _text_height(_DISPLAY_MATH.sub("\n\n", source))


def png_size(b64):
    """(ширина, высота) PNG из base64 выхода ноутбука."""
    raw = base64.b64decode(b64[:64] if isinstance(b64, str) else "".join(b64)[:64])
    if raw[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", raw[16:24])


def _figure_height(size):
    if size is None:
        return FIGURE_MAX_HEIGHT
    width, height = size
    return min(FIGURE_MAX_HEIGHT, CONTENT_WIDTH * height / max(width, 1))


def _text_lines(text, chars_per_line):
    """Строки текстового вывода с переносом длинных (вывод на слайде переносится, код — нет)."""
    return sum(_wrapped(len(line), chars_per_line) for line in text.rstrip("\n").splitlines())


def widget_height(model_id, widgets, depth=0):
    """Высота виджета по сохранённому состоянию (metadata.widgets): ящики складывают детей, Output —
    свои выходы, остальные элементы управления — по строке."""
    model = widgets.get(model_id, {}).get("state", {})
    name = model.get("_model_name", "")
    children = [c.removeprefix("IPY_MODEL_") for c in model.get("children", [])]
    if depth > 8 or not model:
        return WIDGET_HEIGHT
    if name in ("VBoxModel", "BoxModel", "GridBoxModel", "AccordionModel", "TabModel") and children:
        return sum(widget_height(c, widgets, depth + 1) for c in children)
    if name == "HBoxModel" and children:
        return max(widget_height(c, widgets, depth + 1) for c in children)
    if name == "OutputModel":
        return sum(output_height(o, widgets) for o in model.get("outputs", []))
    return WIDGET_HEIGHT


def output_height(output, widgets=None):
    kind = output.get("output_type")
    if kind == "stream":
        return OUT_PAD + OUT_LINE * _text_lines(output.get("text", ""), OUT_CHARS_PER_LINE)
    if kind == "error":
        return OUT_PAD + OUT_LINE * sum(_text_lines(t, OUT_CHARS_PER_LINE) for t in output.get("traceback", []))
    data = output.get("data", {})
    if "image/png" in data:
        return _figure_height(png_size(data["image/png"]))
    if "image/jpeg" in data or "image/svg+xml" in data:
        return FIGURE_MAX_HEIGHT
    if "application/vnd.jupyter.widget-view+json" in data:
        model_id = data["application/vnd.jupyter.widget-view+json"].get("model_id", "")
        return widget_height(model_id, widgets or {})
    text = data.get("text/plain", "")
    text = text if isinstance(text, str) else "".join(text)
    if "text/html" in data and "<pre" in data["text/html"] and text:
        # подсвеченный код (show_source): столько же строк, сколько в текстовом виде
        return OUT_PAD + CODE_LINE * _text_lines(text, CODE_CHARS_PER_LINE)
    if "text/html" in data:
        html = data["text/html"]
        html = html if isinstance(html, str) else "".join(html)
        return OUT_PAD + OUT_LINE * max(1, html.count("<tr") + html.count("<br") + html.count("<p"))
    if "text/markdown" in data:
        return markdown_height(data["text/markdown"])
    if "text/latex" in data:
        return MATH_ROW_TALL
    if text:
        return OUT_PAD + OUT_LINE * _text_lines(text, OUT_CHARS_PER_LINE)
    return 0


def has_figure(cell):
    return cell.cell_type == "code" and any(
        any(k.startswith("image/") for k in o.get("data", {})) for o in cell.get("outputs", []))


def widget_state(nb):
    """Сохранённое состояние виджетов ноутбука: {model_id: {...}} (пусто, если виджетов нет)."""
    return nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})


def estimate_height(cell, widgets=None):
    """Оценка высоты ячейки на слайде (px слайда 1280x720); widgets — widget_state(nb)."""
    if cell.cell_type == "markdown":
        return markdown_height(cell.source) + CELL_GAP
    if cell.cell_type == "code":
        lines = len(cell.source.rstrip("\n").splitlines())
        return (CODE_PAD + CODE_LINE * lines + CELL_GAP
                + sum(output_height(o, widgets) for o in cell.get("outputs", [])))
    return TEXT_LINE * max(1, len(cell.source.splitlines()))   # raw


def is_lead_in(cell):
    """Короткая подводка: markdown без заголовка и формул в выносе, не выше LEAD_IN_MAX."""
    return (cell.cell_type == "markdown" and not heading_level(cell) and "$$" not in cell.source
            and estimate_height(cell) <= LEAD_IN_MAX)


def slide_types(nb):
    """Список slide_type для ячеек ноутбука по правилам модуля (ноутбук не меняется)."""
    widgets = widget_state(nb)
    types = []
    used = None                      # занятая высота текущего слайда; None — видимых ячеек ещё не было
    prev = None                      # номер предыдущей видимой ячейки
    for index, cell in enumerate(nb.cells):
        tags = set(cell.metadata.get("tags", []))
        if TAG_SKIP in tags or not cell.source.strip():
            types.append("skip")
            continue
        if TAG_NOTES in tags:
            types.append("notes")
            continue
        height = estimate_height(cell, widgets)
        level = heading_level(cell)
        if used is None:
            kind = "slide"
        elif level in (1, 2):
            kind = "slide"
        elif level >= 3 or TAG_NEW in tags:
            kind = "subslide"
        elif used + height > SLIDE_BUDGET:
            lead = nb.cells[prev]
            if types[prev] == "-" and is_lead_in(lead) and estimate_height(lead) + height <= SLIDE_BUDGET:
                types[prev] = "subslide"          # подводка уходит на новый слайд вместе с ячейкой
                used = estimate_height(lead)
                kind = "fragment" if has_figure(cell) else "-"
            else:
                kind = "subslide"
        elif has_figure(cell):
            kind = "fragment"
        else:
            kind = "-"
        used = height if kind in ("slide", "subslide") else used + height
        types.append(kind)
        prev = index
    return types


def apply(nb):
    """Записать разметку в ноутбук. Возвращает True, если что-то изменилось."""
    changed = False
    for cell, kind in zip(nb.cells, slide_types(nb)):
        if cell.metadata.get(META_KEY, {}).get("slide_type") != kind:
            cell.metadata[META_KEY] = nbformat.from_dict({**cell.metadata.get(META_KEY, {}), "slide_type": kind})
            changed = True
    rise = dict(nb.metadata.get("rise", {}))
    if any(rise.get(k) != v for k, v in RISE_SETTINGS.items()):
        nb.metadata["rise"] = nbformat.from_dict({**rise, **RISE_SETTINGS})
        changed = True
    return changed


def mismatches(nb):
    """Ячейки, чья разметка расходится с правилами: [(номер, записано, должно быть)]."""
    bad = [(i, c.metadata.get(META_KEY, {}).get("slide_type"), k)
           for i, (c, k) in enumerate(zip(nb.cells, slide_types(nb)))
           if c.metadata.get(META_KEY, {}).get("slide_type") != k]
    if any(nb.metadata.get("rise", {}).get(k) != v for k, v in RISE_SETTINGS.items()):
        bad.append(("metadata.rise", nb.metadata.get("rise"), RISE_SETTINGS))
    return bad


def too_tall(nb):
    """Ячейки выше одного слайда: [(номер, оценка высоты px)] — их стоит разбить."""
    widgets = widget_state(nb)
    heights = [estimate_height(c, widgets) for c in nb.cells]
    return [(i, round(h)) for i, (h, k) in enumerate(zip(heights, slide_types(nb)))
            if k not in ("skip", "notes") and h > SLIDE_BUDGET]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Разметка слайдов (RISE / nbconvert) по правилам курса.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="по умолчанию все notebooks/*.ipynb")
    parser.add_argument("--check", action="store_true", help="только проверить, ничего не записывать")
    parser.add_argument("--report", action="store_true", help="показать слайды и слишком высокие ячейки")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not paths:
        print("нет ноутбуков notebooks/*.ipynb", file=sys.stderr)
        return 1
    status = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        types = slide_types(nb)
        n_screens = sum(k in ("slide", "subslide") for k in types)
        if args.check:
            bad = mismatches(nb)
            if bad:
                status = 1
                print(f"{path}: разметка слайдов устарела ({len(bad)} расхождений); "
                      f"запустите python -m tools.set_slide_metadata {path}")
            continue
        changed = apply(nb)
        if changed:
            nbformat.write(nb, path)
        print(f"{path}: {n_screens} слайдов, {'обновлено' if changed else 'без изменений'}")
        if args.report:
            for i, (cell, kind) in enumerate(zip(nb.cells, types)):
                first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
                print(f"  {i:3d} {kind:9s} {estimate_height(cell, widget_state(nb)):5.0f}px  "
                      f"{cell.cell_type:8s} {first}")
        for i, height in too_tall(nb):
            fate = ("прокрутится" if height * MIN_ZOOM > SLIDE_BUDGET
                    else f"уменьшится до {SLIDE_BUDGET / height:.0%}")
            print(f"  ячейка {i}: ~{height}px — выше слайда ({SLIDE_BUDGET}px), на слайде {fate}; "
                  "лучше разбить на две")
    return status


if __name__ == "__main__":
    sys.exit(main())
