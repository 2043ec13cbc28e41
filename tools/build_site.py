"""Собрать статический сайт курса и слайды одной командой — из сохранённых выходов, без выполнения.

    python tools/build_site.py                 # все notebooks/*.ipynb -> _site/
    python tools/build_site.py --out /tmp/site notebooks/01_*.ipynb

Что получается в _site/:
    index.html                      оглавление курса по-русски: ссылки на страницу и слайды каждого ноутбука
    notebooks/NN_slug.html          ноутбук целиком (nbconvert HTML, сохранённые выходы)
    slides/NN_slug.slides.html      тот же ноутбук слайдами (nbconvert --to slides, reveal.js)
    assets/                         MathJax 2, reveal.js, require.js, менеджер виджетов — всё локально

Сайт работает без интернета (и из файла, и с любого статического сервера): шаблоны nbconvert по умолчанию
берут MathJax, require.js, jQuery, reveal.js, mermaid и менеджер виджетов с CDN — здесь каждый адрес заменён
на локальную копию из assets/, а mermaid (в курсе нет диаграмм) и jQuery (нужен был только для прокрутки
слайдов, её делает свой код запуска reveal.js) убраны. Библиотеки для браузера
скачиваются один раз клиентом npm (`npm pack`, точные версии ниже) в кэш `~/.cache/backprop-course/web`
(или --cache / переменная BACKPROP_WEB_CACHE) и копируются в сайт только нужными файлами.
Нужны: nbconvert (есть в jupyterlab) и npm (Node.js) при первой сборке.
"""
import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter, SlidesExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import set_slide_metadata as ssm  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = Path(os.environ.get("BACKPROP_WEB_CACHE", Path.home() / ".cache" / "backprop-course" / "web"))

# Точные версии браузерных библиотек. reveal.js — ветка 4.x: под неё написан шаблон reveal в nbconvert 7
# (dist/reveal.js в формате UMD грузится через require.js, плагин plugin/notes/notes.js).
NPM_PACKAGES = {
    "mathjax": "2.7.9",
    "reveal.js": "4.6.1",
    "requirejs": "2.3.8",
    "@jupyter-widgets/html-manager": "1.0.15",
}

# Какие файлы каждого пакета нужны сайту (пути внутри пакета -> внутри assets/).
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
# Из dist менеджера виджетов нужен только embed-amd.js и шрифты иконок woff2/woff (их берёт любой браузер).
SKIP_IN_DIST = (".map", "embed.js", "libembed-amd.js", ".eot", ".ttf", ".svg")

# Размер слайда reveal.js (16:9) и предельная высота рисунка — общие с разметкой слайдов (по ним она
# оценивает, что помещается на слайд); шрифты для проектора — в SLIDES_CSS.
SLIDE_WIDTH, SLIDE_HEIGHT, FIGURE_MAX_HEIGHT = ssm.SLIDE_WIDTH, ssm.SLIDE_HEIGHT, ssm.FIGURE_MAX_HEIGHT
SLIDES_MATH_SCALE = 115   # % размера формул на слайдах
MIN_ZOOM = ssm.MIN_ZOOM

# Виджеты (ползунки «живой ручки», полоса tqdm) отрисовываются из сохранённого состояния, но без ядра
# ничего не пересчитывают: ползунки не двигаются, над ними — пояснение.
WIDGET_CSS = """
.jupyter-widgets:has(.widget-slider, .widget-dropdown, .widget-toggle-buttons, .widget-button) {
  pointer-events: none; }
.jp-OutputArea-output.jupyter-widgets:has(.widget-slider, .widget-dropdown, .widget-toggle-buttons)::before {
  content: "Ползунки работают только в запущенном Jupyter; здесь — их сохранённое положение.";
  display: block; font-size: 14px; font-style: italic; color: #666; margin: 2px 0 6px; }
"""

NAV_CSS = WIDGET_CSS + """
.course-nav { font-family: var(--jp-ui-font-family); font-size: 15px; padding: 8px 16px;
  border-bottom: 1px solid #ddd; margin-bottom: 8px; display: flex; gap: 1.5em; }
.course-nav a { color: #1a5fb4; text-decoration: none; }
.course-nav a:hover { text-decoration: underline; }
"""

SLIDES_CSS = WIDGET_CSS + f"""
/* Крупно для проектора: текст, код, формулы (MathJax берёт размер шрифта текста) и рисунки. */
:root {{
  --jp-content-font-size1: 26px;
  --jp-ui-font-size1: 22px;
  --jp-code-font-size: 21px;
}}
.reveal .slides {{ text-align: left; }}
.reveal .slides h1, .reveal .slides h2, .reveal .slides h3, .reveal .slides h4 {{ text-transform: none; }}
.reveal .jp-RenderedMarkdown p, .reveal .jp-RenderedMarkdown li {{ line-height: 1.35; }}
.reveal .jp-RenderedHTMLCommon h1 {{ font-size: 44px; }}
.reveal .jp-RenderedHTMLCommon h2 {{ font-size: 38px; }}
.reveal .jp-RenderedHTMLCommon h3 {{ font-size: 32px; }}
/* Номера ячеек In [n]: на слайде не нужны — место отдаём коду и рисункам. */
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt {{ display: none; }}
/* Рисунок растягивается по ширине слайда, но не выше {FIGURE_MAX_HEIGHT}px, пропорции сохраняются. */
.reveal .jp-OutputArea-output img {{
  width: 100%; height: auto; max-height: {FIGURE_MAX_HEIGHT}px; object-fit: contain;
}}
.reveal .jp-RenderedText pre {{ font-size: 19px; }}
"""

LAB_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}<style type="text/css">""" + NAV_CSS + """</style>{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
<nav class="course-nav">
  <a href="../index.html">&larr; Оглавление курса</a>
  <a href="../slides/{{ resources.course_name }}.slides.html">Слайды</a>
</nav>
{%- endblock body_header -%}
"""

REVEAL_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_jquery -%}{%- endblock html_head_js_jquery -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}<style type="text/css">""" + SLIDES_CSS + """</style>
<script type="text/x-mathjax-config">
// MathJax подгоняет формулы под высоту строчных букв текста, и рядом с текстом слайда они выходят мельче
// (~87%); на проекторе делаем их вровень с текстом.
MathJax.Hub.Config({CommonHTML: {scale: """ + str(SLIDES_MATH_SCALE) + """}});
</script>
{%- endblock html_head_css -%}
{% block footer_js %}
<script>
// Свой запуск reveal.js вместо шаблонного: тот же набор настроек, но без MathJax.Hub.Rerender при смене
// слайда (в выводе CommonHTML он стирает формулы скрытых слайдов) и без jQuery; плюс подгонка высоты.
require(["{{ reveal_url_prefix }}/dist/reveal.js", "{{ reveal_url_prefix }}/plugin/notes/notes.js"],
        function (Reveal, RevealNotes) {
  window.Reveal = Reveal;                       // для тестов и консоли браузера
  // Слайд выше экрана: сначала уменьшаем целиком (не мельче MIN_ZOOM), остаток прокручивается.
  var MIN_ZOOM = """ + str(MIN_ZOOM) + """;
  function fit(slide) {
    if (!slide) return;
    slide.style.zoom = ""; slide.style.height = ""; slide.style.overflowY = "";
    var H = Reveal.getConfig().height, h = slide.scrollHeight;
    if (h > H) {
      var z = Math.max(MIN_ZOOM, H / h);
      slide.style.zoom = z;
      if (h * z > H + 1) { slide.style.height = (H / z) + "px"; slide.style.overflowY = "auto"; }
    }
    slide.dataset.fitZoom = slide.style.zoom || "1";
    Reveal.layout();
  }
  // Высота известна, когда MathJax набрал формулы: подгоняем после его очереди.
  function fitCurrent() {
    var slide = Reveal.getCurrentSlide();
    if (window.MathJax && MathJax.Hub) { MathJax.Hub.Queue(function () { fit(slide); }); } else { fit(slide); }
  }
  window.fitSlide = fit;
  Reveal.on("slidechanged", fitCurrent);
  Reveal.on("ready", fitCurrent);
  Reveal.initialize({
    controls: true, progress: true, history: true, center: true,
    transition: "{{ reveal_transition }}", slideNumber: "{{ reveal_number }}",
    width: {{ reveal_width }}, height: {{ reveal_height }},
    plugins: [RevealNotes]
  });
});
</script>
{% endblock footer_js %}
"""


class BuildError(RuntimeError):
    pass


def npm_package_dir(cache, name, version):
    return Path(cache) / f"{name.replace('/', '__')}-{version}" / "package"


def ensure_npm_packages(cache=DEFAULT_CACHE):
    """Скачать (npm pack) и распаковать пакеты NPM_PACKAGES в кэш, если их там ещё нет."""
    cache = Path(cache)
    for name, version in NPM_PACKAGES.items():
        target = npm_package_dir(cache, name, version)
        if (target / "package.json").exists():
            continue
        npm = shutil.which("npm")
        if npm is None:
            raise BuildError(f"нужен npm (Node.js), чтобы один раз скачать {name}@{version} в {cache}; "
                             "или положите распакованный пакет в этот кэш сами")
        with tempfile.TemporaryDirectory() as tmp:
            result = subprocess.run([npm, "pack", f"{name}@{version}", "--pack-destination", tmp,
                                     "--silent", "--no-fund", "--no-audit"],
                                    capture_output=True, text=True)
            tarballs = list(Path(tmp).glob("*.tgz"))
            if result.returncode != 0 or len(tarballs) != 1:
                raise BuildError(f"npm pack {name}@{version} не удался:\n{result.stderr.strip()}")
            unpack = target.parent / ".partial"
            shutil.rmtree(unpack, ignore_errors=True)
            with tarfile.open(tarballs[0]) as tar:
                tar.extractall(unpack, filter="data")
            shutil.rmtree(target, ignore_errors=True)
            (unpack / "package").rename(target)
            shutil.rmtree(unpack)
    return cache


def copy_assets(cache, assets):
    """Скопировать в assets/ только нужные файлы пакетов (список ASSET_FILES)."""
    for name, pairs in ASSET_FILES.items():
        package = npm_package_dir(cache, name, NPM_PACKAGES[name])
        for src, dst in pairs:
            src_path, dst_path = package / src, assets / dst
            if not src_path.exists():
                raise BuildError(f"в пакете {name}@{NPM_PACKAGES[name]} нет файла {src}")
            dst_path.parent.mkdir(parents=True, exist_ok=True)
            if src_path.is_dir():
                skip = SKIP_IN_DIST if name == "@jupyter-widgets/html-manager" else ()
                shutil.copytree(src_path, dst_path, dirs_exist_ok=True,
                                ignore=lambda d, names, skip=skip: [n for n in names if n.endswith(skip)])
            else:
                shutil.copy2(src_path, dst_path)


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
    page = HTMLExporter(template_name="lab", template_file="course_lab.html.j2",
                        extra_loaders=[jinja2.DictLoader({"course_lab.html.j2": LAB_TEMPLATE})], **common)
    slides = SlidesExporter(template_file="course_reveal.html.j2",
                            extra_loaders=[jinja2.DictLoader({"course_reveal.html.j2": REVEAL_TEMPLATE})],
                            reveal_url_prefix="../assets/reveal.js", reveal_theme="white",
                            reveal_transition="fade", reveal_number="c/t",
                            reveal_width=str(SLIDE_WIDTH), reveal_height=str(SLIDE_HEIGHT), **common)
    return page, slides


INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Обратное распространение ошибки — курс</title>
<script src="assets/mathjax/MathJax.js?config={mathjax_config}"></script>
<script type="text/x-mathjax-config">
MathJax.Hub.Config({{tex2jax: {{inlineMath: [['$','$'], ['\\\\(','\\\\)']], processEscapes: true}},
                    messageStyle: 'none'}});
</script>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; max-width: 820px;
       margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.5; }}
h1 {{ font-size: 1.9em; margin-bottom: 0.2em; }}
.lead {{ color: #555; margin-top: 0; }}
ol.notebooks {{ list-style: none; padding-left: 0; }}   /* номер уже в заголовке ноутбука */
ol.notebooks li {{ margin: 0.9em 0; }}
ol.notebooks .title {{ font-size: 1.2em; font-weight: 600; }}
ol.notebooks .links a {{ margin-right: 1.2em; }}
ol.notebooks .meta {{ color: #777; font-size: 0.9em; }}
a {{ color: #1a5fb4; }}
code {{ background: #f3f3f3; padding: 0 0.25em; border-radius: 3px; }}
</style>
</head>
<body>
<h1>Обратное распространение ошибки</h1>
<p class="lead">Курс в ноутбуках Jupyter: выводим ошибки нейронов $\\tau^{{\\text{{out}}}}_i$ и
$\\tau^{{\\text{{in}}}}_j$ шаг за шагом и проверяем вывод кодом.</p>
<ol class="notebooks">
{items}
</ol>
<h2>Как пользоваться</h2>
<ul>
<li><b>Читать</b> — страница ноутбука с формулами, кодом и сохранёнными результатами; интернет не нужен.</li>
<li><b>Слайды</b> — тот же ноутбук для показа: пробел или &rarr; — дальше, Esc — обзор всех слайдов,
F — во весь экран, S — окно докладчика.</li>
<li><b>Запустить самим</b> — в корне репозитория: <code>pip install -r requirements.txt</code>,
затем <code>jupyter lab</code> и папка <code>notebooks/</code>.</li>
</ul>
</body>
</html>
"""

ITEM_TEMPLATE = """<li><span class="title">{title}</span><br>
<span class="links"><a href="notebooks/{name}.html">Читать</a><a href="slides/{name}.slides.html">Слайды</a></span>
<span class="meta">{n_slides} слайдов · {name}.ipynb</span></li>"""


def count_slides(nb):
    """Сколько экранов (слайдов и подслайдов) получится: первый видимый + каждый slide/subslide."""
    kinds = [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in nb.cells]
    visible = [k for k in kinds if k not in ("skip", "notes")]
    return (1 if visible else 0) + sum(k in ("slide", "subslide") for k in visible[1:])


def build(notebooks=None, out=ROOT / "_site", cache=DEFAULT_CACHE, log=print, check_offline=True):
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
    copy_assets(ensure_npm_packages(cache), out / "assets")
    page_exporter, slides_exporter = exporters()
    built, items = {}, []
    for path in notebooks:
        name = path.stem
        nb = nbformat.read(path, as_version=4)
        if ssm.mismatches(nb):
            log(f"внимание: {path.name}: разметка слайдов устарела — python tools/set_slide_metadata.py {path}")
        resources = {"metadata": {"name": name, "path": str(path.parent)}, "course_name": name}
        body, _ = page_exporter.from_notebook_node(nb, resources=dict(resources))
        page = out / "notebooks" / f"{name}.html"
        page.write_text(body, encoding="utf-8")
        body, _ = slides_exporter.from_notebook_node(nb, resources=dict(resources))
        slides = out / "slides" / f"{name}.slides.html"
        slides.write_text(body, encoding="utf-8")
        built[name] = (page, slides)
        title = notebook_title(nb, name)
        items.append(ITEM_TEMPLATE.format(title=html.escape(title, quote=False), name=html.escape(name),
                                          n_slides=count_slides(nb)))
    (out / "index.html").write_text(INDEX_TEMPLATE.format(items="\n".join(items), mathjax_config=MATHJAX_CONFIG),
                                    encoding="utf-8")
    external = find_external_urls(out) if check_offline else []
    if external:
        raise BuildError("в сайте остались адреса в интернете:\n" + "\n".join(external[:20]))
    log(f"{out}: {len(notebooks)} ноутбуков, страницы и слайды, {time.perf_counter() - start:.1f} с")
    return built


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
    parser.add_argument("--cache", default=DEFAULT_CACHE, type=Path, help="кэш пакетов npm")
    args = parser.parse_args(argv)
    try:
        build(args.notebooks, args.out, args.cache)
    except BuildError as err:
        print(f"ошибка сборки: {err}", file=sys.stderr)
        return 1
    print(f"откройте {Path(args.out).resolve() / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
