"""Разметить ноутбуки на слайды: `metadata.slideshow.slide_type` каждой ячейки и теги слайдов по правилам ниже.

    python -m tools.set_slide_metadata              # все notebooks/*.ipynb
    python -m tools.set_slide_metadata --check      # только проверить (код выхода 1, если разметка устарела)
    python -m tools.set_slide_metadata --report notebooks/03_*.ipynb    # слайды по ячейкам, разделы без заметок

Ту же разметку читают RISE в JupyterLab (jupyterlab-rise) и `jupyter nbconvert --to slides`
(tools/build_site.py). Инструмент меняет только метаданные (у ячеек — `slideshow` и тег
`hide-code-on-slides`, у ноутбука — `rise`); текст, код и выходы не трогает, поэтому nbval не затронут.
Повторный запуск ничего не меняет. Ноутбук, добавленный позже, размечается той же командой;
tests/test_slides_metadata.py проверяет, что разметка каждого notebooks/*.ipynb совпадает с этими правилами.

Теги ячеек (ставит автор в JupyterLab: правая панель, Common Tools):
    slides-skip          ячейки нет на слайдах (в ноутбуке она остаётся);
    slides-notes         заметка докладчика: видна только в окне докладчика (клавиша S); в каждом разделе `##`
                         должна быть хотя бы одна (sections_without_notes);
    slides-new           с этой ячейки начинается новый слайд;
    hide-code-on-slides  код ячейки не показывается на слайдах, только её выходы (на странице ноутбука код
                         есть). Инструмент сам ставит этот тег ячейкам кода с рисунком: на слайде рисунок
                         важнее кода, который его рисует. Можно поставить и руками любой ячейке кода;
    show-code-on-slides  наоборот: оставить код ячейки с рисунком на слайде (тег hide-code-on-slides тогда
                         не ставится; уже стоящий снимите руками).

Правила разметки (по порядку, первое подходящее):
 1. Тег `slides-skip` -> skip; тег `slides-notes` -> notes. Пустая ячейка -> skip.
 2. Первая видимая ячейка -> slide (титульный слайд).
 3. Markdown, начинающаяся с заголовка `#` или `##` -> slide: новая тема — новый слайд по горизонтали.
 4. Markdown, начинающаяся с `###` (и мельче), тег `slides-new` -> subslide: шаг внутри темы — слайд вниз.
 5. Каждый рисунок — на своём слайде: ячейка с рисунком начинает новый слайд вниз (subslide), а следующая за
    ней видимая ячейка — ещё один. С рисунком на слайде остаются только заголовок раздела и короткая подводка
    (markdown до двух строк без формул в выносе, "Нарисуем границу:"): она переходит на слайд рисунка.
    Рисунок на слайде сайта занимает всё оставшееся место (tools/site/static/slides.js).
 6. Ячейка, которая не помещается на текущий слайд вместе с уже стоящими там ячейками, -> subslide (короткая
    подводка перед ней переходит вместе с ней).
 7. Остальные -> "-" (продолжение текущего слайда).

Высота оценивается (estimate_height) в пикселях слайда 1280x720 со шрифтами SLIDE_FONT_PX (их же берут
слайды сайта): строки текста с переносом, строки формул (у `aligned` — каждая строка `\\`), строки кода
(длинные переносятся), строки текстового вывода, рисунок — по размеру PNG, растянутый по ширине слайда,
но не выше FIGURE_MAX_HEIGHT. Код ячейки с тегом hide-code-on-slides не считается.

Слайды сайта (tools/build_site.py) строятся из presentation(nb) — копии ноутбука, в которой ячейка выше
слайда разрезана на части (markdown — по абзацам и формулам, ячейка кода — между кодом и выходами, длинный
вывод — по строкам); каждая часть после первой начинает свой слайд вниз. Там же каждый слайд вниз без
своего заголовка получает заголовок раздела, мелко (metadata.course_subheading; шаблон course_reveal
ставит его над слайдом). Так на слайдах сайта ничего не прокручивается и не уменьшается сильнее MIN_ZOOM.
В RISE ячейки не режутся: длинная ячейка там прокручивается.
"""
import argparse
import base64
import copy
import math
import re
import struct
import sys
from pathlib import Path

import nbformat

from backprop_course import text

ROOT = Path(__file__).resolve().parents[1]
META_KEY = "slideshow"
TAG_SKIP, TAG_NOTES, TAG_NEW = "slides-skip", "slides-notes", "slides-new"
TAG_HIDE_CODE, TAG_SHOW_CODE = "hide-code-on-slides", "show-code-on-slides"
SLIDE_WORDS = ("слайд", "слайда", "слайдов")
SUBHEADING_KEY = "course_subheading"   # metadata ячейки в presentation(nb): заголовок раздела над слайдом

# Геометрия и шрифты слайда. tools/build_site.py берёт их отсюда (шрифты и высота рисунка попадают в CSS слайдов
# переменными :root, см. tools/site/static/slides.css); размеры строк ниже подобраны под эти шрифты (Fira Sans,
# код — моноширинный шрифт системы) — меняете шрифт, подберите и их (оценка расходится с высотой в браузере
# на ~10%, отсюда запас в SLIDE_BUDGET).
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
SLIDE_FONT_PX = {"text": 26, "ui": 22, "code": 21, "output": 19, "h1": 44, "h2": 38, "h3": 32, "subheading": 22}
TEXT_LINE_HEIGHT = 1.35       # межстрочный интервал текста и пунктов списка
SLIDE_BUDGET = 640            # px из 720: запас ~10% на ошибку оценки
FIGURE_MAX_HEIGHT = 440       # оценка рисунка; на слайде сайта он растёт до свободного места
MIN_ZOOM = 0.9                # слайд выше экрана уменьшается не сильнее (текст 26px -> 23.4px), дальше прокрутка
CONTENT_WIDTH = 1200          # ширина ячейки на слайде
TEXT_CHARS_PER_LINE = 86      # символов в строке текста при шрифте 26px (Fira Sans)
TEXT_LINE = 36                # px на строку текста
PARAGRAPH_GAP = 26
HEADING = {1: 80, 2: 70, 3: 60, 4: 50, 5: 45, 6: 45}
SUBHEADING = 44               # заголовок раздела над слайдом вниз (шрифт SLIDE_FONT_PX["subheading"])
MATH_ROW, MATH_ROW_TALL, MATH_GAP = 56, 82, 40   # строка формулы; с дробью/суммой; отступы блока
CODE_LINE, CODE_PAD = 26, 28
OUT_LINE, OUT_PAD = 24, 12
CODE_CHARS_PER_LINE, OUT_CHARS_PER_LINE = 92, 105    # где код и вывод переносят строки
TABLE_LINE, TABLE_PAD, TABLE_FONT_RATIO = 34, 12, 1.15
WIDGET_HEIGHT = 70
CELL_GAP = 14
LEAD_IN_MAX = 2 * TEXT_LINE + PARAGRAPH_GAP + CELL_GAP   # подводка — не больше двух строк текста
FIGURE_COMPANY = HEADING[2] + LEAD_IN_MAX + CELL_GAP     # что может стоять над рисунком: заголовок и подводка

# Слайды RISE (показ с живым ядром) — во всё окно браузера, без своей геометрии: с шириной 1280 слайд на экране
# 1920x1080 обрезался слева и справа. Высокий слайд прокручивается (scroll). Слайды сайта — SLIDE_WIDTH x SLIDE_HEIGHT.
RISE_SETTINGS = {"scroll": True, "width": "100%", "height": "100%"}

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s")
_COMMENT = re.compile(r"\s*<!--.*?-->\s*")
_FENCE = re.compile(r"^[ \t]*```[^\n]*\n(.*?)^[ \t]*```[ \t]*$", re.DOTALL | re.MULTILINE)
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s")
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_TALL = re.compile(r"\\(?:d?frac|sum|prod|int|binom|sqrt|left|big|Big|bigg|Bigg|partial\s*\^)|\\begin\{[pbvB]?matrix")


def tags_of(cell):
    return set(cell.metadata.get("tags", []))


def _first_line(cell):
    """Первая содержательная строка ячейки (метки <!-- ... --> перед заголовком не в счёт)."""
    for line in cell.source.splitlines():
        if line.strip() and not _COMMENT.fullmatch(line):
            return line
    return ""


def heading_level(cell):
    """Уровень заголовка, с которого начинается markdown-ячейка (1..6), или 0."""
    if cell.cell_type != "markdown":
        return 0
    m = _HEADING.match(_first_line(cell))
    return len(m.group(1)) if m else 0


def heading_text(cell):
    """Текст заголовка, с которого начинается ячейка (без # и пробелов), или ''."""
    if not heading_level(cell):
        return ""
    return re.sub(r"\s#+\s*$", "", _HEADING.sub("", _first_line(cell), count=1)).strip()


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
    for m in _FENCE.finditer(source):                  # блок кода ``` — строки кода
        height += code_height(m.group(1)) + PARAGRAPH_GAP
    source = _FENCE.sub("\n\n", source)
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
    """Строки текста с переносом длинных (на слайде переносятся и код, и вывод)."""
    return sum(_wrapped(len(line), chars_per_line) for line in text.rstrip("\n").splitlines())


def _joined(text):
    return text if isinstance(text, str) else "".join(text)


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


def is_image(output):
    return any(k.startswith("image/") for k in output.get("data", {}))


def output_height(output, widgets=None):
    kind = output.get("output_type")
    if kind == "stream":
        return OUT_PAD + OUT_LINE * _text_lines(_joined(output.get("text", "")), OUT_CHARS_PER_LINE)
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
    text = _joined(data.get("text/plain", ""))
    if "text/html" in data and "<pre" in _joined(data["text/html"]) and text:
        # подсвеченный код (show_source): столько же строк, сколько в текстовом виде
        return OUT_PAD + CODE_LINE * _text_lines(text, CODE_CHARS_PER_LINE)
    if "text/html" in data:
        html = _joined(data["text/html"])
        return OUT_PAD + OUT_LINE * max(1, html.count("<tr") + html.count("<br") + html.count("<p"))
    if "text/markdown" in data:
        return markdown_height(_joined(data["text/markdown"]))
    if "text/latex" in data:
        return MATH_ROW_TALL
    if text:
        return OUT_PAD + OUT_LINE * _text_lines(text, OUT_CHARS_PER_LINE)
    return 0


def has_figure(cell):
    return cell.cell_type == "code" and any(is_image(o) for o in cell.get("outputs", []))


def code_hidden(cell):
    """Код ячейки не виден на слайдах: тег hide-code-on-slides или рисунок без тега show-code-on-slides."""
    tags = tags_of(cell)
    return cell.cell_type == "code" and (TAG_HIDE_CODE in tags or (has_figure(cell) and TAG_SHOW_CODE not in tags))


def wanted_tags(cell):
    """Теги ячейки после разметки: ячейке кода с рисунком добавляется hide-code-on-slides (если автор не
    поставил show-code-on-slides). Чужие теги и поставленные руками не трогаются."""
    tags = list(cell.metadata.get("tags", []))
    if cell.cell_type == "code" and code_hidden(cell) and TAG_HIDE_CODE not in tags:
        tags.append(TAG_HIDE_CODE)
    return tags


def widget_state(nb):
    """Сохранённое состояние виджетов ноутбука: {model_id: {...}} (пусто, если виджетов нет)."""
    return nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})


def code_height(source):
    lines = source.rstrip("\n").splitlines()
    return CODE_PAD + CODE_LINE * _text_lines(source, CODE_CHARS_PER_LINE) if lines else 0


def estimate_height(cell, widgets=None):
    """Оценка высоты ячейки на слайде (px слайда 1280x720); widgets — widget_state(nb)."""
    if cell.cell_type == "markdown":
        return markdown_height(cell.source) + CELL_GAP
    if cell.cell_type == "code":
        code = 0 if code_hidden(cell) else code_height(cell.source)
        return code + CELL_GAP + sum(output_height(o, widgets) for o in cell.get("outputs", []))
    return TEXT_LINE * max(1, len(cell.source.splitlines()))   # raw


def is_lead_in(cell):
    """Короткая подводка: markdown без заголовка и формул в выносе, не выше LEAD_IN_MAX."""
    return (cell.cell_type == "markdown" and not heading_level(cell) and "$$" not in cell.source
            and estimate_height(cell) <= LEAD_IN_MAX)


def is_visible(cell):
    return bool(cell.source.strip()) and not tags_of(cell) & {TAG_SKIP, TAG_NOTES}


def slide_types(nb):
    """Список slide_type для ячеек ноутбука по правилам модуля (ноутбук не меняется)."""
    widgets = widget_state(nb)
    types = []
    used = None                      # занятая высота текущего слайда; None — видимых ячеек ещё не было
    prev = None                      # номер предыдущей видимой ячейки
    after_figure = False             # предыдущая видимая ячейка — рисунок: он остаётся на слайде один
    for index, cell in enumerate(nb.cells):
        tags = tags_of(cell)
        if TAG_SKIP in tags or not cell.source.strip():
            types.append("skip")
            continue
        if TAG_NOTES in tags:
            types.append("notes")
            continue
        height = estimate_height(cell, widgets)
        level = heading_level(cell)
        figure = has_figure(cell)
        lead = nb.cells[prev] if prev is not None else None
        moves_with = (lead is not None and types[prev] == "-" and is_lead_in(lead)
                      and estimate_height(lead) + height <= SLIDE_BUDGET)
        if used is None or level in (1, 2):
            kind = "slide"
        elif level >= 3 or TAG_NEW in tags or after_figure:
            kind = "subslide"
        elif figure and used <= FIGURE_COMPANY and used + height <= SLIDE_BUDGET:
            kind = "-"                            # над рисунком только заголовок и подводка
        elif figure or used + height > SLIDE_BUDGET:
            if moves_with:
                types[prev] = "subslide"          # подводка уходит на новый слайд вместе с ячейкой
                used = estimate_height(lead) + SUBHEADING
                kind = "-"
            else:
                kind = "subslide"
        else:
            kind = "-"
        if kind == "slide":
            used = height
        elif kind == "subslide":
            used = height + (0 if level else SUBHEADING)
        else:
            used += height
        types.append(kind)
        prev = index
        after_figure = figure
    return types


def apply(nb):
    """Записать разметку в ноутбук. Возвращает True, если что-то изменилось."""
    changed = False
    for cell, kind in zip(nb.cells, slide_types(nb)):
        if cell.metadata.get(META_KEY, {}).get("slide_type") != kind:
            cell.metadata[META_KEY] = nbformat.from_dict({**cell.metadata.get(META_KEY, {}), "slide_type": kind})
            changed = True
        tags = wanted_tags(cell)
        if tags != cell.metadata.get("tags", []):
            cell.metadata["tags"] = tags
            changed = True
    rise = dict(nb.metadata.get("rise", {}))
    if any(rise.get(k) != v for k, v in RISE_SETTINGS.items()):
        nb.metadata["rise"] = nbformat.from_dict({**rise, **RISE_SETTINGS})
        changed = True
    return changed


def mismatches(nb):
    """Ячейки, чья разметка расходится с правилами: [(номер, записано, должно быть)]."""
    bad = []
    for i, (c, k) in enumerate(zip(nb.cells, slide_types(nb))):
        if c.metadata.get(META_KEY, {}).get("slide_type") != k:
            bad.append((i, c.metadata.get(META_KEY, {}).get("slide_type"), k))
        if wanted_tags(c) != c.metadata.get("tags", []):
            bad.append((i, c.metadata.get("tags", []), wanted_tags(c)))
    if any(nb.metadata.get("rise", {}).get(k) != v for k, v in RISE_SETTINGS.items()):
        bad.append(("metadata.rise", nb.metadata.get("rise"), RISE_SETTINGS))
    return bad


def too_tall(nb):
    """Ячейки выше одного слайда: [(номер, оценка высоты px)] — на слайдах сайта их режет presentation()."""
    widgets = widget_state(nb)
    heights = [estimate_height(c, widgets) for c in nb.cells]
    return [(i, round(h)) for i, (h, k) in enumerate(zip(heights, slide_types(nb)))
            if k not in ("skip", "notes") and h > SLIDE_BUDGET]


# --- слайды сайта: ячейки выше слайда режутся на части ---------------------------------------------------

def markdown_blocks(source):
    """Блоки markdown через пустую строку; формула $$...$$ и блок ``` не разрываются."""
    blocks, current, in_math, in_fence = [], [], False, False
    for line in source.splitlines():
        if not line.strip() and not in_math and not in_fence:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        elif not in_fence and line.count("$$") % 2:
            in_math = not in_math
    if current:
        blocks.append("\n".join(current))
    return blocks


def _pack(units, heights, budget):
    """Разложить единицы по частям не выше budget (единица выше budget — часть сама по себе), по порядку;
    при том же числе частей — примерно поровну, без короткого хвоста на последнем слайде."""
    def greedy(limit):
        parts, current, used = [], [], 0
        for unit, height in zip(units, heights):
            if current and used + height > limit:
                parts.append(current)
                current, used = [], 0
            current.append(unit)
            used += height
        return parts + [current] if current else parts

    parts = greedy(budget)
    if len(parts) > 1:
        even = greedy(min(budget, max(max(heights), sum(heights) / len(parts) * 1.1)))
        if len(even) == len(parts):
            parts = even
    return parts


_CONTINUES = re.compile(r"^\s*(?:[)\]}]|elif\b|else\b|except\b|finally\b|case\b)")


def _indent(line):
    return len(line) - len(line.lstrip())


def code_statements(lines):
    """Строки кода по инструкциям самого внешнего уровня (у одной функции — по инструкциям её тела):
    разрезать можно только между ними, не внутри строки в тройных кавычках и не посреди скобок;
    пустые строки остаются с предыдущей инструкцией."""
    indents = sorted({_indent(ln) for ln in lines if ln.strip()}) or [0]
    base = indents[0]
    if len(indents) > 1 and sum(1 for ln in lines if ln.strip() and _indent(ln) == base) <= 2:
        base = indents[1]             # одна функция или класс (с декоратором): режем её тело
    units, in_string, prev = [], False, ""
    for line in lines:
        starts = (not units or (line.strip() and not in_string and _indent(line) <= base
                                and not _CONTINUES.match(line)
                                and not prev.rstrip().endswith(("\\", ",", "(", "[", "{"))))
        if starts:
            units.append([line])
        else:
            units[-1].append(line)
        if (line.count('"""') + line.count("'''")) % 2:
            in_string = not in_string
        if line.strip():
            prev = line
    return units


def split_code_source(source, budget):
    """Код выше budget — частями по инструкциям (code_statements), каждая часть не выше budget."""
    units = code_statements(source.rstrip("\n").splitlines())
    heights = [CODE_LINE * sum(_wrapped(len(line), CODE_CHARS_PER_LINE) for line in u) for u in units]
    return ["\n".join(line for u in part for line in u).rstrip() for part in _pack(units, heights, budget - CODE_PAD)]


def _split_block(block, budget):
    """Блок markdown выше budget — на блоки поменьше, где это можно: код ``` по инструкциям, таблица по строкам
    (шапка повторяется), список по пунктам. Абзац и формула не режутся."""
    lines = block.splitlines()
    if lines[0].lstrip().startswith("```") and len(lines) > 2 and lines[-1].strip().startswith("```"):
        return [f"{lines[0]}\n{chunk}\n{lines[-1]}"
                for chunk in split_code_source("\n".join(lines[1:-1]), budget - PARAGRAPH_GAP)]
    if all(ln.lstrip().startswith("|") for ln in lines) and len(lines) > 3:
        head, rows = lines[:2], lines[2:]
        parts = _pack(rows, [_table_height([r]) - PARAGRAPH_GAP for r in rows],
                      budget - _table_height(head[:1]))
        return ["\n".join(head + p) for p in parts]
    if _LIST_ITEM.match(lines[0]):
        items = []
        for line in lines:
            if _LIST_ITEM.match(line) or not items:
                items.append([line])
            else:
                items[-1].append(line)
        items = ["\n".join(i) for i in items]
        parts = _pack(items, [markdown_height(i) - PARAGRAPH_GAP for i in items], budget - PARAGRAPH_GAP)
        return ["\n".join(p) for p in parts]
    return [block]


def _glued(block, following):
    """Блок не отрывается от следующего: заголовок, метка <!-- -->, подводка к формуле или списку
    («…так:», «Следовательно,») и формула, за которой фраза продолжается («где …»)."""
    lines = [ln for ln in block.splitlines() if not _COMMENT.fullmatch(ln)]
    if not lines or (len(lines) == 1 and _HEADING.match(lines[0])):
        return True
    tail = block.rstrip().rstrip("*_").rstrip()
    if tail.endswith((":", ",")):
        return True
    return block.rstrip().endswith("$$") and bool(re.match(r"[a-zа-яё,.;]", following.lstrip()))


def split_markdown(source, budget=SLIDE_BUDGET - SUBHEADING):
    """Части markdown (ячейки или вывода), каждая не выше budget, если это возможно: список исходников.
    Режется между блоками; блок выше budget — по своим строкам (_split_block)."""
    # блок выше слайда режется с запасом на заголовок, который может стоять над его первой частью
    blocks = [b for block in markdown_blocks(source)
              for b in (_split_block(block, budget - HEADING[2]) if markdown_height(block) > budget else [block])]
    texts, glue = [], False
    for k, block in enumerate(blocks):
        if glue and texts:
            texts[-1] += "\n\n" + block
        else:
            texts.append(block)
        glue = k + 1 < len(blocks) and _glued(block, blocks[k + 1])
    parts = _pack(texts, [markdown_height(t) for t in texts], budget)
    return ["\n\n".join(p) for p in parts]


def _piece(cell, k, source=None, outputs=None, tags=()):
    """Часть ячейки: копия с новым id, своим исходником или выходами и добавленными тегами."""
    piece = copy.deepcopy(cell)
    if k:
        piece["id"] = f"{cell.get('id', 'cell')}-{k}"
    if source is not None:
        piece.source = source
    if outputs is not None:
        piece.outputs = outputs
    piece.metadata["tags"] = list(dict.fromkeys(list(piece.metadata.get("tags", [])) + list(tags)))
    return piece


def _split_stream(output, budget):
    """Длинный текстовый вывод — кусками по строкам, каждый не выше budget."""
    lines = _joined(output.get("text", "")).splitlines(keepends=True)
    chunks, current, used = [], [], OUT_PAD
    for line in lines:
        height = OUT_LINE * _wrapped(len(line.rstrip("\n")), OUT_CHARS_PER_LINE)
        if current and used + height > budget:
            chunks.append(current)
            current, used = [], OUT_PAD
        current.append(line)
        used += height
    chunks.append(current)
    return [nbformat.from_dict({**output, "text": "".join(c)}) for c in chunks]


def split_output(output, budget):
    """Вывод выше budget — несколькими выводами: текст по строкам, markdown (show_source) по блокам и строкам
    кода. Остальное (рисунок, таблица HTML, виджет) не режется."""
    if output_height(output) <= budget:
        return [output]
    if output.get("output_type") == "stream":
        return _split_stream(output, budget)
    data = output.get("data", {})
    if "text/markdown" in data and "text/html" not in data:
        return [nbformat.from_dict({**output, "data": {**data, "text/markdown": part, "text/plain": part}})
                for part in split_markdown(_joined(data["text/markdown"]), budget)]
    return [output]


def split_code(cell, widgets, budget=SLIDE_BUDGET - SUBHEADING):
    """Части ячейки кода выше слайда: длинный код — по инструкциям, затем выходы, пока помещаются, дальше
    группами; рисунок — отдельной частью (он на своём слайде). Части только с выходами — без кода (тег
    hide-code-on-slides), каждая часть после первой — на своём слайде."""
    hidden = code_hidden(cell)
    sources = [cell.source] if hidden or code_height(cell.source) <= budget else split_code_source(cell.source, budget)
    groups, used = [[]], 0 if hidden else code_height(sources[-1])      # groups[0] — вместе с кодом
    for out in (piece for output in cell.outputs for piece in split_output(output, budget)):
        height = output_height(out, widgets)
        busy = bool(groups[-1]) or (len(groups) == 1 and not hidden)
        if busy and (is_image(out) or used + height > budget):
            groups.append([])
            used = 0
        groups[-1].append(out)
        used += height
        if is_image(out):             # после рисунка — новая часть
            groups.append([])
            used = 0
    parts = [_piece(cell, k, source=src, outputs=[], tags=(TAG_NEW,) if k else ())
             for k, src in enumerate(sources[:-1])]
    for k, outputs in enumerate(groups):
        if k == 0 and (outputs or not hidden):
            parts.append(_piece(cell, len(parts), source=sources[-1], outputs=outputs,
                                tags=(TAG_NEW,) if parts else ()))
        elif outputs:
            new = () if not parts or any(is_image(o) for o in outputs) else (TAG_NEW,)
            parts.append(_piece(cell, len(parts), outputs=outputs, tags=(TAG_HIDE_CODE,) + new))
    return parts or [cell]


def section_sources(source):
    """Markdown по темам: заголовок `#`/`##` посреди ячейки начинает новую часть (на слайдах — новую тему)."""
    parts = [[]]
    for block in markdown_blocks(source):
        lines = [ln for ln in block.splitlines() if not _COMMENT.fullmatch(ln)]
        m = _HEADING.match(lines[0]) if lines else None
        if m and len(m.group(1)) <= 2 and parts[-1]:
            parts.append([])
        parts[-1].append(block)
    return ["\n\n".join(p) for p in parts]


def split_cell(cell, widgets):
    """Ячейка для слайдов сайта одной или несколькими частями (каждая часть после первой — на своём слайде)."""
    if not is_visible(cell):
        return [cell]
    if cell.cell_type == "markdown":
        sources = [(s, k == 0) for k, section in enumerate(section_sources(cell.source))
                   for k, s in enumerate(split_markdown(section) if markdown_height(section) + CELL_GAP > SLIDE_BUDGET
                                         else [section])]
        if len(sources) == 1:
            return [cell]
        return [_piece(cell, k, source=s, tags=(TAG_NEW,) if k and not first else ())
                for k, (s, first) in enumerate(sources)]
    if estimate_height(cell, widgets) <= SLIDE_BUDGET:
        return [cell]
    if cell.cell_type == "code":
        return split_code(cell, widgets)
    return [cell]


def subheading(text):
    """Заголовок раздела для markdown над слайдом: «2. Тема» не должно стать нумерованным списком."""
    return re.sub(r"^(\d+)\.", r"\1\\.", text)


def presentation(nb):
    """Копия ноутбука для слайдов сайта: высокие ячейки разрезаны (split_cell), разметка и теги по правилам,
    у каждого слайда вниз без своего заголовка — metadata.course_subheading (заголовок раздела)."""
    view = copy.deepcopy(nb)
    widgets = widget_state(view)
    for cell in view.cells:             # части ячейки наследуют её теги (код рисунка скрыт и в частях)
        cell.metadata["tags"] = wanted_tags(cell)
    view.cells = [piece for cell in view.cells for piece in split_cell(cell, widgets)]
    for cell, kind in zip(view.cells, slide_types(view)):
        cell.metadata[META_KEY] = nbformat.from_dict({**cell.metadata.get(META_KEY, {}), "slide_type": kind})
        cell.metadata["tags"] = wanted_tags(cell)
    headings = {}
    for cell in view.cells:
        if not is_visible(cell):
            continue
        level = heading_level(cell)
        if level:
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = heading_text(cell)
        elif cell.metadata[META_KEY]["slide_type"] == "subslide" and headings:
            nearest = [headings[k] for k in sorted(headings) if k <= 3]
            if nearest:
                cell.metadata[SUBHEADING_KEY] = subheading(nearest[-1])
    return view


def count_screens(types):
    """Сколько экранов (слайдов и подслайдов): первый видимый + каждый slide/subslide после него."""
    visible = [k for k in types if k not in ("skip", "notes")]
    return (1 if visible else 0) + sum(k in ("slide", "subslide") for k in visible[1:])


def sections_without_notes(nb):
    """Разделы `##`, в которых нет ни одной заметки докладчика (ячейки с тегом slides-notes): [заголовок]."""
    sections = []
    for cell in nb.cells:
        if TAG_NOTES in tags_of(cell):
            if sections:
                sections[-1][1] = True
        elif is_visible(cell) and cell.cell_type == "markdown":
            for part in section_sources(cell.source):          # заголовок `##` бывает и посреди ячейки
                piece = nbformat.v4.new_markdown_cell(part)
                if heading_level(piece) in (1, 2):
                    sections.append([heading_text(piece), heading_level(piece) == 1])   # титул — не раздел
    return [title for title, has_notes in sections if not has_notes]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Разметка слайдов (RISE / nbconvert) по правилам курса.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="по умолчанию все notebooks/*.ipynb")
    parser.add_argument("--check", action="store_true", help="только проверить, ничего не записывать")
    parser.add_argument("--report", action="store_true",
                        help="показать слайды по ячейкам, высокие ячейки и разделы без заметок докладчика")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not paths:
        print("нет ноутбуков notebooks/*.ipynb", file=sys.stderr)
        return 1
    status = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        types = slide_types(nb)
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
        site = count_screens(slide_types(presentation(nb)))
        print(f"{path}: {text.count(count_screens(types), *SLIDE_WORDS)} в RISE, {site} на сайте, "
              f"{'обновлено' if changed else 'без изменений'}")
        if args.report:
            for i, (cell, kind) in enumerate(zip(nb.cells, types)):
                first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
                print(f"  {i:3d} {kind:9s} {estimate_height(cell, widget_state(nb)):5.0f}px  "
                      f"{cell.cell_type:8s} {first}")
            for i, height in too_tall(nb):
                print(f"  ячейка {i}: ~{height}px — выше слайда ({SLIDE_BUDGET}px): на сайте режется на части, "
                      "в RISE прокручивается")
            for title in sections_without_notes(nb):
                print(f"  нет заметки докладчика (тег {TAG_NOTES}) в разделе «{title}»")
    return status


if __name__ == "__main__":
    sys.exit(main())
