"""Собрать статический сайт курса и слайды одной командой — из сохранённых выходов, без выполнения.

    python -m tools.build_site                 # все notebooks/*.ipynb -> _site/
    python -m tools.build_site --out /tmp/site notebooks/01_*.ipynb

Что получается в _site/:
    index.html                      оглавление курса по-русски: у каждого ноутбука строка «о чём» (из таблицы
                                    ноутбуков README.md — один источник, readme_notebooks) и ссылки
    notebooks/NN_slug.html          ноутбук целиком (nbconvert HTML, сохранённые выходы), колонкой для чтения
    slides/NN_slug.slides.html      тот же ноутбук слайдами (nbconvert --to slides, reveal.js) — из
                                    set_slide_metadata.presentation(nb): высокие ячейки разрезаны, код
                                    рисунков скрыт, у слайдов вниз — заголовок раздела
    assets/                         MathJax 2, reveal.js, require.js, менеджер виджетов — всё локально;
                                    assets/fonts/ — шрифт Fira Sans с кириллицей (FONT_PACKAGE);
                                    assets/course/ — CSS и JS курса (копия tools/site/static/)

Сайт работает без интернета (и из файла, и с любого статического сервера): шаблоны nbconvert по умолчанию
берут MathJax, require.js, jQuery, reveal.js, mermaid и менеджер виджетов с CDN — здесь каждый адрес заменён
на локальную копию из assets/, а mermaid (в курсе нет диаграмм) и jQuery (нужен был только для прокрутки
слайдов, её делает свой код запуска reveal.js) убраны. Библиотеки для браузера — пакеты npm с точными
версиями из tools/web/package-lock.json: их ставит `npm ci` (tools/web_packages.py, сам, если их нет или
lock-файл поменялся), в сайт копируются только нужные файлы (ASSET_FILES).

Шаблоны, CSS и JS — файлы в tools/site/: templates/course_lab и templates/course_reveal — шаблоны nbconvert
(страница и слайды), index.html.j2 — оглавление, static/ — CSS и JS курса. Размеры шрифтов и рисунков на
слайдах задаёт tools/set_slide_metadata.py: по ним он оценивает, что помещается на слайд.
Нужны: nbconvert (есть в jupyterlab) и npm (Node.js) при первой сборке.
"""
import argparse
import re
import shutil
import sys
import time
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter, SlidesExporter

from backprop_course import text
from tools import formula_sheet, set_slide_metadata as ssm
from tools import web_packages

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(__file__).resolve().parent / "site"        # шаблоны, CSS и JS сайта
TEMPLATES, STATIC = SITE / "templates", SITE / "static"

# Какие файлы каждого пакета npm нужны сайту (пути внутри пакета -> внутри assets/). Версии — в
# tools/web/package.json. reveal.js — ветка 4.x: под неё написан шаблон reveal в nbconvert 7
# (dist/reveal.js в формате UMD грузится через require.js, плагин plugin/notes/notes.js).
MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe"
ASSET_FILES = {
    "mathjax": [
        ("MathJax.js", "mathjax/MathJax.js"),
        ("config/TeX-AMS_CHTML-full.js", "mathjax/config/TeX-AMS_CHTML-full.js"),
        ("config/Safe.js", "mathjax/config/Safe.js"),
        ("extensions", "mathjax/extensions"),
        ("jax/input/TeX", "mathjax/jax/input/TeX"),
        ("jax/element", "mathjax/jax/element"),
        ("jax/output/CommonHTML", "mathjax/jax/output/CommonHTML"),
        ("jax/output/PreviewHTML", "mathjax/jax/output/PreviewHTML"),
        ("fonts/HTML-CSS/TeX/woff", "mathjax/fonts/HTML-CSS/TeX/woff"),
        ("fonts/HTML-CSS/TeX/otf", "mathjax/fonts/HTML-CSS/TeX/otf"),
        ("localization/ru", "mathjax/localization/ru"),
        ("LICENSE", "mathjax/LICENSE"),
    ],
    "reveal.js": [
        ("dist/reveal.js", "reveal.js/dist/reveal.js"),
        ("dist/reveal.css", "reveal.js/dist/reveal.css"),
        ("dist/reset.css", "reveal.js/dist/reset.css"),
        ("dist/theme/white.css", "reveal.js/dist/theme/white.css"),
        ("dist/theme/fonts/source-sans-pro", "reveal.js/dist/theme/fonts/source-sans-pro"),
        ("plugin/notes", "reveal.js/plugin/notes"),
        ("LICENSE", "reveal.js/LICENSE"),
    ],
    "requirejs": [("require.js", "require.js")],
    # embed-amd.js — готовая сборка со стандартными виджетами; шрифты иконок лежат рядом с ней.
    "@jupyter-widgets/html-manager": [("dist", "html-manager")],
}
# Шрифт текста и заголовков на слайдах и страницах: Fira Sans (SIL OFL 1.1) из пакета @fontsource — с кириллицей
# и греческими буквами (у Source Sans Pro из темы reveal.js кириллицы нет, и русский текст падал в запасной
# шрифт системы). Копируются только начертания FONT_FACES и наборы знаков FONT_SUBSETS (woff2), из них
# собирается assets/fonts/fonts.css. Стрелок (→) в наборах @fontsource нет: для U+2190–21FF подключён шрифт
# MathJax_Main из того же MathJax, что набирает формулы (тоже SIL OFL), — стрелка в тексте как в формулах.
FONT_PACKAGE, FONT_FAMILY = "@fontsource/fira-sans", "Fira Sans"
FONT_FACES = ("400", "400-italic", "600", "700")          # файлы CSS пакета: насыщенность[-italic]
FONT_SUBSETS = ("latin", "latin-ext", "cyrillic", "cyrillic-ext", "greek")
SYMBOL_FAMILY, SYMBOL_RANGE = "Course Symbols", "U+2190-21FF"
SYMBOL_FONT = "../mathjax/fonts/HTML-CSS/TeX/woff/MathJax_Main-Regular.woff"     # от assets/fonts/
FONT_STACK = f'"{FONT_FAMILY}", "{SYMBOL_FAMILY}", sans-serif'

# Из dist менеджера виджетов нужен только embed-amd.js и шрифты иконок woff2/woff (их берёт любой браузер).
SKIP_IN_DIST = (".map", "embed.js", "libembed-amd.js", ".eot", ".ttf", ".svg")

# Размер слайда reveal.js (16:9), шрифты и предельная высота рисунка — общие с разметкой слайдов (по ним она
# оценивает, что помещается на слайд); в CSS слайдов они попадают переменными :root (шаблон course_reveal).
SLIDE_WIDTH, SLIDE_HEIGHT, FIGURE_MAX_HEIGHT = ssm.SLIDE_WIDTH, ssm.SLIDE_HEIGHT, ssm.FIGURE_MAX_HEIGHT
SLIDES_MATH_SCALE = 115   # % размера формул на слайдах
MIN_ZOOM = ssm.MIN_ZOOM


def slide_css_vars():
    """Переменные CSS слайдов из tools/set_slide_metadata.py: {имя: значение}."""
    font = ssm.SLIDE_FONT_PX
    return {
        "--jp-content-font-size1": f"{font['text']}px",
        "--jp-ui-font-size1": f"{font['ui']}px",
        "--jp-code-font-size": f"{font['code']}px",
        "--course-output-font-size": f"{font['output']}px",
        "--course-h1-font-size": f"{font['h1']}px",
        "--course-h2-font-size": f"{font['h2']}px",
        "--course-h3-font-size": f"{font['h3']}px",
        "--course-subheading-font-size": f"{font['subheading']}px",
        "--course-line-height": str(ssm.TEXT_LINE_HEIGHT),
        "--course-figure-max-height": f"{FIGURE_MAX_HEIGHT}px",
    }


class BuildError(RuntimeError):
    pass


def copy_assets(assets):
    """Скопировать в assets/ только нужные файлы пакетов npm (список ASSET_FILES) и CSS/JS курса."""
    try:
        web_packages.ensure()
    except web_packages.NpmError as err:
        raise BuildError(str(err)) from err
    for name, pairs in ASSET_FILES.items():
        package = web_packages.package_dir(name)
        for src, dst in pairs:
            src_path, dst_path = package / src, assets / dst
            if not src_path.exists():
                raise BuildError(f"в пакете {name}@{web_packages.version(name)} нет файла {src}")
            dst_path.parent.mkdir(parents=True, exist_ok=True)
            if src_path.is_dir():
                skip = SKIP_IN_DIST if name == "@jupyter-widgets/html-manager" else ()
                shutil.copytree(src_path, dst_path, dirs_exist_ok=True,
                                ignore=lambda d, names, skip=skip: [n for n in names if n.endswith(skip)])
            else:
                shutil.copy2(src_path, dst_path)
    copy_fonts(assets / "fonts")
    shutil.copytree(STATIC, assets / "course", dirs_exist_ok=True)


_FONT_FACE = re.compile(r"/\*\s*([\w-]+)\s*\*/\s*(@font-face\s*\{.*?\})", re.DOTALL)


def copy_fonts(fonts):
    """Шрифт FONT_PACKAGE в assets/fonts/: файлы woff2 нужных начертаний и наборов знаков и fonts.css к ним."""
    package = web_packages.package_dir(FONT_PACKAGE)
    prefix = FONT_PACKAGE.rsplit("/", 1)[-1] + "-"
    (fonts / "files").mkdir(parents=True, exist_ok=True)
    faces = []
    for face in FONT_FACES:
        css = package / f"{face}.css"
        if not css.exists():
            raise BuildError(f"в пакете {FONT_PACKAGE}@{web_packages.version(FONT_PACKAGE)} нет файла {css.name}")
        for name, rule in _FONT_FACE.findall(css.read_text(encoding="utf-8")):
            subset = name.removeprefix(prefix).rsplit("-", 2)[0]
            if subset not in FONT_SUBSETS:
                continue
            shutil.copy2(package / "files" / f"{name}.woff2", fonts / "files" / f"{name}.woff2")
            rule = re.sub(r"src:[^;]*;", f"src: url(files/{name}.woff2) format('woff2');", rule)
            faces.append(f"/* {name} */\n{rule}")
    shutil.copy2(package / "LICENSE", fonts / "LICENSE")
    faces.append(f"@font-face {{\n  font-family: '{SYMBOL_FAMILY}';\n  font-style: normal;\n  font-weight: 100 900;\n"
                 f"  src: url({SYMBOL_FONT}) format('woff');\n  unicode-range: {SYMBOL_RANGE};\n}}")
    header = (f"/* {FONT_FAMILY} ({FONT_PACKAGE}@{web_packages.version(FONT_PACKAGE)}, SIL Open Font License 1.1, "
              "см. LICENSE) — собрано tools/build_site.py */\n"
              f":root {{ --course-font-family: {FONT_STACK}; }}\n")
    (fonts / "fonts.css").write_text(header + "\n".join(faces) + "\n", encoding="utf-8")


def notebook_title(nb, fallback):
    """Заголовок ноутбука — первый заголовок markdown (без #), иначе имя файла."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                m = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
                if m:
                    return m.group(1)
    return fallback


def exporters():
    common = dict(
        require_js_url="../assets/require.js",
        mathjax_url=f"../assets/mathjax/MathJax.js?config={MATHJAX_CONFIG}",
        widget_renderer_url="../assets/html-manager/embed-amd.js",
        mermaid_js_url="",
        mermaid_layout_elk_js_url="",
        jupyter_widgets_base_url="",
        language_code="ru",
        embed_images=True,          # картинки из markdown попадают в страницу, отдельные файлы не нужны
    )
    page = HTMLExporter(template_name="course_lab", extra_template_basedirs=[str(TEMPLATES)], **common)
    slides = SlidesExporter(template_name="course_reveal", extra_template_basedirs=[str(TEMPLATES)],
                            reveal_url_prefix="../assets/reveal.js", reveal_theme="white",
                            reveal_transition="fade", reveal_number="c/t",
                            reveal_width=str(SLIDE_WIDTH), reveal_height=str(SLIDE_HEIGHT), **common)
    return page, slides


def count_slides(nb):
    """Сколько экранов (слайдов и подслайдов) у ноутбука на сайте (после разрезания высоких ячеек)."""
    return ssm.count_screens([c.metadata.get("slideshow", {}).get("slide_type", "-")
                              for c in ssm.presentation(nb).cells])


README_TABLE = re.compile(r"<!-- notebooks\b.*?-->\s*\n((?:\|.*\n?)+)")


def readme_notebooks(readme=ROOT / "README.md"):
    """Таблица ноутбуков из README.md (после метки <!-- notebooks ... -->): {имя файла: (название, о чём)}.
    Один источник для README и оглавления сайта; нет README или таблицы — пустой словарь."""
    try:
        text = Path(readme).read_text(encoding="utf-8")
    except OSError:
        return {}
    match = README_TABLE.search(text)
    rows = {}
    for line in (match.group(1).splitlines() if match else []):
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        link = re.search(r"\[([^\]]+)\]\((?:[^)]*/)?([^)/]+\.ipynb)\)", line)
        if link and len(cells) >= 3:
            rows[link.group(2)] = (link.group(1), cells[-1])
    return rows


def build(notebooks=None, out=ROOT / "_site", log=print, check_offline=True):
    """Собрать сайт и слайды. Возвращает словарь {имя: (путь страницы, путь слайдов)}.

    check_offline: BuildError, если страница ссылается на адрес в интернете (проверка по тексту HTML;
    браузерный тест tests/test_site_browser.py проверяет то же по настоящим запросам).
    """
    start = time.perf_counter()
    notebooks = [Path(p) for p in notebooks] if notebooks else sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not notebooks:
        raise BuildError("нет ни одного ноутбука notebooks/*.ipynb")
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    (out / "slides").mkdir()
    copy_assets(out / "assets")
    page_exporter, slides_exporter = exporters()
    built, items, about = {}, [], readme_notebooks()
    for path in notebooks:
        name = path.stem
        nb = nbformat.read(path, as_version=4)
        if ssm.mismatches(nb):
            log(f"внимание: {path.name}: разметка слайдов устарела — python -m tools.set_slide_metadata {path}")
        course = {"name": name, "assets_url": "../assets", "slide_css_vars": slide_css_vars(),
                  "math_scale": SLIDES_MATH_SCALE, "min_zoom": MIN_ZOOM, "hide_code_tag": ssm.TAG_HIDE_CODE,
                  "subheading_key": ssm.SUBHEADING_KEY}
        resources = {"metadata": {"name": name, "path": str(path.parent)}, "course": course}
        body, _ = page_exporter.from_notebook_node(nb, resources=dict(resources))
        page = out / "notebooks" / f"{name}.html"
        page.write_text(body, encoding="utf-8")
        body, _ = slides_exporter.from_notebook_node(ssm.presentation(nb), resources=dict(resources))
        slides = out / "slides" / f"{name}.slides.html"
        slides.write_text(body, encoding="utf-8")
        built[name] = (page, slides)
        title = notebook_title(nb, name)
        items.append({"title": title, "name": name, "slides": text.count(count_slides(nb), "слайд", "слайда", "слайдов"),
                      "about": about.get(path.name, ("", ""))[1]})
    sheet = formula_sheet.OUTPUT
    if sheet.exists():           # шпаргалка: тот же шаблон страницы, что у ноутбуков (MathJax, шрифт, колонка)
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(sheet.read_text(encoding="utf-8"))],
                                      metadata={"title": "Шпаргалка"})
        course = {"name": "formulas", "slides": False, "assets_url": "../assets", "slide_css_vars": slide_css_vars(),
                  "math_scale": SLIDES_MATH_SCALE, "min_zoom": MIN_ZOOM, "hide_code_tag": ssm.TAG_HIDE_CODE,
                  "subheading_key": ssm.SUBHEADING_KEY}
        body, _ = page_exporter.from_notebook_node(nb, resources={"metadata": {"name": "formulas", "path": str(sheet.parent)},
                                                                  "course": course})
        (out / "notebooks" / "formulas.html").write_text(body, encoding="utf-8")
    index = _index_template().render(items=items, mathjax_config=MATHJAX_CONFIG, sheet=sheet.exists())
    (out / "index.html").write_text(index, encoding="utf-8")
    external = find_external_urls(out) if check_offline else []
    if external:
        raise BuildError("в сайте остались адреса в интернете:\n" + "\n".join(external[:20]))
    log(f"{out}: {len(notebooks)} ноутбуков, страницы и слайды, {time.perf_counter() - start:.1f} с")
    return built


def _index_template():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(SITE), autoescape=True, keep_trailing_newline=True)
    return env.get_template("index.html.j2")


# Атрибуты и CSS, по которым браузер сам что-то загружает.
_URL_ATTR = re.compile(r"""<(?:script|link|img|iframe|source|audio|video)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)""",
                       re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*["']?((?:https?:)?//[^"')\s]+)""", re.IGNORECASE)
_JS_URL = re.compile(r"""["']((?:https?:)?//[^"'\s]+\.(?:js|mjs|css))["']""")


def find_external_urls(site):
    """Адреса в интернете, которые страницы сайта загрузили бы сами (теги, CSS, строки с .js/.css)."""
    found = []
    for page in sorted(Path(site).rglob("*.html")):
        if "assets" in page.relative_to(site).parts:
            continue
        text = page.read_text(encoding="utf-8")
        urls = [u for u in _URL_ATTR.findall(text) if re.match(r"(?:https?:)?//", u)]
        urls += _CSS_URL.findall(text) + _JS_URL.findall(text)
        found += [f"{page.relative_to(site)}: {u}" for u in sorted(set(urls))]
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description="Статический сайт курса и слайды (без интернета).")
    parser.add_argument("notebooks", nargs="*", help="ноутбуки (по умолчанию все notebooks/*.ipynb)")
    parser.add_argument("--out", default=ROOT / "_site", type=Path, help="папка сайта (по умолчанию _site)")
    args = parser.parse_args(argv)
    try:
        build(args.notebooks, args.out)
    except BuildError as err:
        print(f"ошибка сборки: {err}", file=sys.stderr)
        return 1
    print(f"откройте {Path(args.out).resolve() / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
