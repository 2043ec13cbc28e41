"""Сайт курса и слайды в настоящем браузере (Chromium без экрана, через Playwright).

Собирает сайт (python -m tools.build_site) во временную папку, открывает каждую страницу и каждый файл слайдов
по file:// и проверяет на каждой странице:
  * все формулы набраны MathJax: в тексте не осталось `$$`, `$...$`, `\\begin{`, нет ошибок MathJax;
  * каждый сохранённый рисунок загрузился (naturalWidth > 0) и виден (ненулевой размер на экране);
  * страница не обратилась никуда, кроме file:// (любой другой запрос перехвачен и записан), все
    локальные файлы нашлись, нет ошибок JavaScript и ошибок отрисовки виджетов;
  * страница ноутбука и оглавление — колонкой для чтения (строка 700–1000px на экране 1920), текст не мельче
    16px, шрифтом сайта; у каждого ноутбука в оглавлении строка «о чём» из таблицы README.md;
на каждом слайде каждой колоды при 1280x720 и при 1920x1080:
  * слайд не прокручивается и не уменьшен сильнее MIN_ZOOM (0.9); ничего не обрезано справа (блок кода,
    таблица, формула);
  * у слайда есть заголовок (свой или заголовок раздела над слайдом вниз);
  * заголовки и текст набраны шрифтом сайта (Fira Sans — проверяется, каким шрифтом браузер нарисовал буквы);
  * рисунки видны целиком, со всеми фрагментами, и не мельче MIN_FIGURE_PX по высоте; текст и формулы не
    мельче MIN_FONT_PX. Измерения (в том числе размер текста рисунков на экране) — test-output/site/slides-*.json.
Снимки экрана (оглавление, страница ноутбука, слайды каждого вида при обоих размерах) — в test-output/site/.

Нужны Chromium и Playwright; без них тест пропускается с подсказкой:
    apt-get install -y chromium            # Debian: /usr/bin/chromium (или CHROMIUM=/путь/к/chromium)
    pip install playwright                 # скачивать браузер playwright install не нужно
и npm (Node.js) — один раз поставить MathJax и reveal.js для сборки сайта (tools/web/package-lock.json).
Под CI (переменная окружения CI=true) пропуск запрещён: чего-то не хватает — тест падает, а не молчит.
"""
import functools
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tools import build_site, formula_sheet, set_slide_metadata

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "test-output" / "site"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Флаги как у проверки машины: без фоновых обращений Chromium к сети (иначе он сам ходит к Google).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 720}
WIDE = {"width": 1920, "height": 1080}
VIEWPORTS = [VIEWPORT, WIDE]            # проектор 720p и 1080p
READING_WIDTH = (700, 1000)             # строка текста на странице и в оглавлении, px при экране 1920
MIN_PAGE_FONT_PX = 16                   # текст страницы и оглавления
MIN_FONT_PX = 18      # текст на слайде (px слайда 1280x720, после уменьшения длинного слайда)
MIN_FIGURE_PX = 280   # высота рисунка на слайде: почти половина экрана, читается с последней парты
MIN_ZOOM = set_slide_metadata.MIN_ZOOM     # слайд уменьшается не сильнее (0.9), и ни один не прокручивается
FIGURE_TEXT_PX = 14   # самый мелкий текст рисунков курса при показе 1:1 (backprop_course.style)
FONT_FAMILY = build_site.FONT_FAMILY      # шрифт сайта с кириллицей (assets/fonts)
CODE_FONT = re.compile(r"Mono|Courier|Consolas|Menlo", re.IGNORECASE)   # код внутри текста
ENABLE = ("Включить: apt-get install -y chromium (Debian; другой путь — переменная CHROMIUM) "
          "и pip install playwright; для сборки сайта нужен npm.")

# NOTEBOOKS_DIR — проверить другую папку ноутбуков (например, копию до разметки); по умолчанию notebooks/.
NOTEBOOKS = sorted(Path(os.environ.get("NOTEBOOKS_DIR", ROOT / "notebooks")).glob("*.ipynb"))


def stored_figures(path):
    """Сколько рисунков PNG в выходах видимых на слайдах (на странице — всех) ячеек."""
    import nbformat
    nb = nbformat.read(path, as_version=4)
    counts = {"page": 0, "slides": 0}
    for cell in nb.cells:
        n = sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        counts["page"] += n
        if cell.metadata.get("slideshow", {}).get("slide_type") not in ("skip", "notes"):
            counts["slides"] += n
    return counts


@functools.cache
def _skip_reason():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "нет пакета playwright. " + ENABLE
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"нет браузера {CHROMIUM}. " + ENABLE
    return None


def skip_or_fail(reason):
    """Вне CI — пропустить тест с подсказкой; под CI=true — провалить: там пропуск спрятал бы поломку."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true, а браузерный тест не может работать: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module", autouse=True)
def _browser_available():
    if _skip_reason() is not None:
        skip_or_fail(_skip_reason())


# --- что выполняется в странице -------------------------------------------------------------

WAIT_MATHJAX = """() => new Promise(resolve => {
  if (!window.MathJax || !MathJax.Hub) { resolve(false); return; }
  setTimeout(() => resolve(false), 60000);      // у evaluate нет своего срока: не виснуть вечно
  // без return: вернув очередь из обработчика, MathJax ждал бы её и замкнулся бы сам на себя
  MathJax.Hub.Register.StartupHook("End", () => { MathJax.Hub.Queue(() => resolve(true)); });
})"""

# Текст страницы вне кода и вне набранных формул: там не должно остаться разметки TeX.
RAW_MATH = r"""(root) => {
  const skip = el => el.closest('script, style, code, pre, textarea, .MathJax_Preview, .MathJax, .MathJax_CHTML, '
    + '.MathJax_Display, .mjx-chtml, .jp-InputArea-editor, .highlight, .jp-RenderedText, .jupyter-widgets');
  const walker = document.createTreeWalker(root || document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  const patterns = [/\$\$/, /\$[^$\s][^$]*\$/, /\\begin\{/, /\\\(|\\\[/];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.parentElement || skip(node.parentElement)) continue;
    const text = node.textContent;
    if (patterns.some(p => p.test(text))) found.push(text.trim().slice(0, 80));
  }
  return found;
}"""

MATH_ERRORS = """(root) => {
  root = root || document;
  const bad = [...root.querySelectorAll('.MathJax_Error, .mjx-merror, .noError, [class*="noError"], merror')];
  // \\noUndefined: неизвестная команда рисуется красным текстом внутри формулы
  const red = [...root.querySelectorAll('.mjx-chtml [style*="color: red"], .mjx-chtml [style*="color:red"]')];
  return bad.concat(red).map(e => e.textContent.slice(0, 80));
}"""

MATH_COUNT = """() => document.querySelectorAll('script[type^="math/tex"]').length"""

# MathJax 2 держит исходник формулы в <script type="math/tex">, а набранную формулу — прямо перед ним.
UNRENDERED = """(root) => [...(root || document).querySelectorAll('script[type^="math/tex"]')].filter(s => {
  if (s.closest('aside.notes')) return false;          // заметки докладчика на слайде не видны — так задумано
  const prev = s.previousElementSibling;
  return !(prev && /MathJax_CHTML|MathJax_Display|mjx-chtml/.test(prev.className)
           && prev.getBoundingClientRect().width > 0);
}).map(s => s.textContent.slice(0, 60))"""

IMAGES = """(root) => [...(root || document).querySelectorAll('img')].map(img => {
  const r = img.getBoundingClientRect(), st = getComputedStyle(img);
  return {src: img.src.slice(0, 60), complete: img.complete, natural: [img.naturalWidth, img.naturalHeight],
          box: [r.width, r.height], hidden: st.display === 'none' || st.visibility === 'hidden'};
})"""

WIDGET_ERRORS = """() => [...document.querySelectorAll('.jupyter-widgets')]
  .map(e => e.textContent).filter(t => /Error displaying widget|model not found/i.test(t))
  .map(t => t.slice(0, 100))"""

SLIDES = """() => Reveal.getSlides().map(s => { const i = Reveal.getIndices(s); return [i.h, i.v]; })"""

# Обойти слайды (со всеми фрагментами) прямо в странице: на каждом дождаться формул и подгонки (slides.js: fit
# стоит в очереди MathJax после смены слайда) и измерить его. Размеры: «px слайда» — в координатах слайда
# 1280x720 (как в CSS слайдов), «px экрана» — что видно после масштаба reveal.js и уменьшения слайда (zoom).
MEASURE_SLIDES = """async (indices) => {
  const rawMath = %s, mathErrors = %s, unrendered = %s;
  const results = [];
  for (const [h, v] of indices) {
    Reveal.slide(h, v, 1000);                  // 1000: показать все фрагменты слайда
    await Promise.race([new Promise(r => { MathJax.Hub.Queue(() => { r(); }); }),
                        new Promise(r => setTimeout(r, 30000))]);
    const slide = Reveal.getCurrentSlide();
    const zoom = parseFloat(slide.dataset.fitZoom || "1"), scale = Reveal.getScale();
    const shown = el => !el.closest('aside.notes') && el.getClientRects().length > 0;
    const font = el => parseFloat(getComputedStyle(el).fontSize) * zoom;         // px слайда
    const texts = [...slide.querySelectorAll('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li')].filter(shown);
    const maths = [...slide.querySelectorAll('.MathJax_CHTML, .mjx-chtml')].filter(shown);
    const box = slide.getBoundingClientRect();
    // обрезано справа: блок кода или таблица прокручивается вбок, или что-то вылезает за край слайда
    const cut = [];
    for (const el of slide.querySelectorAll('pre, table, .jp-OutputArea-output, .jp-RenderedMarkdown')) {
      if (!shown(el)) continue;
      const r = el.getBoundingClientRect(), text = el.textContent.trim().slice(0, 50);
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
        cut.push(`${el.tagName.toLowerCase()} шире себя на ${el.scrollWidth - el.clientWidth}px: ${text}`);
      else if (r.right > box.right + 1 || r.left < box.left - 1)
        cut.push(`${el.tagName.toLowerCase()} за краем слайда на ${Math.round(r.right - box.right)}px: ${text}`);
    }
    const figures = [];
    for (const img of slide.querySelectorAll('.jp-OutputArea-output img')) {
      const r = img.getBoundingClientRect();
      const hiddenFragment = [...slide.querySelectorAll('.fragment')]
        .some(f => f.contains(img) && !f.classList.contains('visible'));
      // рисунок хранится в 2 раза крупнее показа в ноутбуке (атрибут width — размер показа); текст на рисунке —
      // FIGURE_TEXT_PX при показе 1:1, на экране — во столько раз крупнее, во сколько рисунок шире показа 1:1
      const width1x = parseFloat(img.getAttribute('width')) || img.naturalWidth / 2;
      figures.push({natural: [img.naturalWidth, img.naturalHeight], height: r.height / scale,
                    textScale: r.width / width1x,
                    inView: r.width > 0 && r.top >= -1 && r.bottom <= window.innerHeight + 1
                            && r.left >= -1 && r.right <= window.innerWidth + 1,
                    hiddenFragment});
    }
    const headings = [...slide.querySelectorAll('h1, h2, h3, .course-subheading')].filter(shown);
    // текст для проверки шрифта (font_problems): заголовки, абзацы и пункты; с кодом внутри — отмечены
    for (const el of [...headings, ...texts]) {
      el.setAttribute('data-course-font', el.querySelector('code') ? 'code' : 'text');
      el.setAttribute('data-course-slide', `${h}.${v}`);
    }
    results.push({
      slide: [h, v],
      cells: slide.querySelectorAll('.jp-Cell').length,
      zoom, scale,
      scrolls: slide.style.overflowY === 'auto' || slide.scrollHeight * zoom > Reveal.getConfig().height + 1,
      contentHeight: slide.scrollHeight,
      minText: Math.min(...texts.map(font)),
      minMath: Math.min(...maths.map(font)),
      cut,
      figures,
      headings: headings.map(e => e.textContent.trim().slice(0, 60)),
      headingFonts: headings.map(e => getComputedStyle(e).fontFamily.split(',')[0].replace(/["']/g, '').trim()),
      wrappedLines: slide.querySelectorAll('.course-wrapped').length,
      hasCode: !!slide.querySelector('.jp-InputArea-editor'),
      rawMath: rawMath(slide),
      mathErrors: mathErrors(slide),
      unrendered: unrendered(slide),
    });
  }
  return results;
}""" % (RAW_MATH, MATH_ERRORS, UNRENDERED)


# --- фикстуры -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not NOTEBOOKS:
        skip_or_fail("нет ноутбуков notebooks/*.ipynb")
    out = tmp_path_factory.mktemp("site")
    build(NOTEBOOKS, out)
    return out


def build(notebooks, out, **options):
    """Собрать сайт; без npm (пакеты ещё не поставлены) — пропуск с подсказкой, под CI — ошибка."""
    try:
        build_site.build(notebooks, out, log=lambda *a: None, **options)
    except build_site.BuildError as err:
        if shutil.which("npm") is None:
            skip_or_fail(f"сайт не собрать: {err}. " + ENABLE)
        raise


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which(CHROMIUM) or CHROMIUM, args=FLAGS)
        yield b
        b.close()


class PageLog:
    """Открыть страницу, перехватив все запросы: не file:// — записать и оборвать."""

    def __init__(self, browser, url):
        self.external, self.failed, self.errors = [], [], []
        self.context = browser.new_context(viewport=VIEWPORT, locale="ru-RU", service_workers="block")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url[:120]} ({r.failure})")
                     if r.url.startswith("file:") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)[:200]))
        self.page.goto(url, wait_until="load")
        self.has_mathjax = self.page.evaluate(WAIT_MATHJAX)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.external.append(url[:150])
            route.abort()

    def network_problems(self):
        """Запросы мимо file://, ненайденные файлы, ошибки JavaScript — за всё время на странице."""
        return ([f"запрос в сеть: {u}" for u in self.external]
                + [f"не найден локальный файл: {u}" for u in self.failed]
                + [f"ошибка JavaScript: {e}" for e in self.errors])

    def common_problems(self):
        p = self.page
        problems = [f"формула не набрана: {t!r}" for t in p.evaluate(RAW_MATH)]
        problems += [f"ошибка в формуле: {t!r}" for t in p.evaluate(MATH_ERRORS)]
        if not p.evaluate("document.querySelector('.reveal')"):     # на слайдах — по одному слайду, ниже
            problems += [f"формула не видна: {t!r}" for t in p.evaluate(UNRENDERED)]
        problems += [f"виджет не отрисован: {t!r}" for t in p.evaluate(WIDGET_ERRORS)]
        if p.evaluate(MATH_COUNT) and not self.has_mathjax:
            problems.append("на странице формулы, но MathJax не загрузился")
        return problems

    def close(self):
        self.context.close()


def page_url(path):
    return Path(path).resolve().as_uri()


# --- тесты ----------------------------------------------------------------------------------

def test_index_lists_every_notebook(site, browser):
    log = PageLog(browser, page_url(site / "index.html"))
    try:
        problems = log.common_problems()
        links = log.page.eval_on_selector_all("ol.notebooks a", "els => els.map(e => e.getAttribute('href'))")
        for nb in NOTEBOOKS:
            for href in (f"notebooks/{nb.stem}.html", f"slides/{nb.stem}.slides.html"):
                if href not in links:
                    problems.append(f"нет ссылки {href}")
                elif not (site / href).exists():
                    problems.append(f"ссылка на несуществующий файл {href}")
        problems += reading_problems(log.page, "p, li", "оглавление")
        # строка «о чём» у каждого ноутбука — та же, что в таблице README.md
        about = build_site.readme_notebooks()
        shown = log.page.eval_on_selector_all("ol.notebooks li", "els => els.map(e => e.querySelector('.about'))"
                                              ".map(e => e ? e.textContent.trim() : '')")
        for nb, text in zip(NOTEBOOKS, shown):
            if nb.name not in about:
                problems.append(f"{nb.name}: нет в таблице ноутбуков README.md — нечего написать «о чём»")
            elif not text:
                problems.append(f"{nb.name}: в оглавлении нет строки «о чём»")
        OUTPUT.mkdir(parents=True, exist_ok=True)
        log.page.screenshot(path=str(OUTPUT / "index.png"))
        log.page.set_viewport_size(WIDE)
        log.page.screenshot(path=str(OUTPUT / "index_1920x1080.png"))
        log.page.set_viewport_size(VIEWPORT)
        problems += log.network_problems()
        assert not problems, "\n".join(problems)
    finally:
        log.close()


# Колонка текста страницы на широком экране: ширина самого широкого абзаца (px), размер и шрифт текста.
READING = """(selector) => {
  const texts = [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length);
  return {width: Math.max(0, ...texts.map(e => e.getBoundingClientRect().width)),
          minFont: Math.min(...texts.map(e => parseFloat(getComputedStyle(e).fontSize))),
          fonts: [...new Set(texts.map(e => getComputedStyle(e).fontFamily.split(',')[0].replace(/["']/g, '').trim()))],
          count: texts.length};
}"""


def reading_problems(page, selector, where):
    """Текст читается: на экране 1920x1080 строка не шире READING_WIDTH, шрифт не мельче MIN_PAGE_FONT_PX и
    шрифтом сайта (FONT_FAMILY)."""
    page.set_viewport_size(WIDE)
    info = page.evaluate(READING, selector)
    page.set_viewport_size(VIEWPORT)
    problems = []
    if not info["count"]:
        return [f"{where}: нет текста ({selector})"]
    if not READING_WIDTH[0] <= info["width"] <= READING_WIDTH[1]:
        problems.append(f"{where}: строка текста {info['width']:.0f}px при экране 1920px, "
                        f"нужно {READING_WIDTH[0]}–{READING_WIDTH[1]}px")
    if info["minFont"] < MIN_PAGE_FONT_PX:
        problems.append(f"{where}: текст {info['minFont']:.1f}px, нужно не мельче {MIN_PAGE_FONT_PX}px")
    if info["fonts"] != [FONT_FAMILY]:
        problems.append(f"{where}: текст шрифтом {info['fonts']}, а не {FONT_FAMILY}")
    return problems


def notebook_page_problems(log, nb, screenshots=False):
    """Все замечания к странице ноутбука nb (уже открытой в log)."""
    p = log.page
    problems = log.common_problems()
    problems += reading_problems(p, ".jp-RenderedMarkdown p, .jp-RenderedMarkdown li", "страница")
    if "$" in nb.read_text(encoding="utf-8") and p.evaluate(MATH_COUNT) == 0:
        problems.append("в ноутбуке есть формулы, а на странице MathJax не набрал ни одной")
    images = p.evaluate(IMAGES)
    stored = stored_figures(nb)["page"]
    if len(images) < stored:
        problems.append(f"рисунков на странице {len(images)}, в ноутбуке {stored}")
    for img in images:
        if not img["complete"] or img["natural"][0] == 0:
            problems.append(f"рисунок не загрузился: {img['src']}")
        elif img["hidden"] or img["box"][0] == 0 or img["box"][1] == 0:
            problems.append(f"рисунок не виден: {img['src']} {img['box']}")
    if screenshots:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        p.screenshot(path=str(OUTPUT / "notebook_page.png"))
        p.set_viewport_size(WIDE)
        p.screenshot(path=str(OUTPUT / "notebook_page_1920x1080.png"))
        p.set_viewport_size(VIEWPORT)
        if images:
            p.locator(".jp-OutputArea-output img").first.scroll_into_view_if_needed()
            p.screenshot(path=str(OUTPUT / "notebook_page_figure.png"))
    return problems + log.network_problems()


def font_problems(page, cdp):
    """Шрифт заголовков и текста всех слайдов — какой шрифт браузер на самом деле взял для букв (CDP
    CSS.getPlatformFontsForNode): только FONT_FAMILY из сайта (веб-шрифт, isCustomFont), у формул и стрелок —
    шрифты MathJax, у кода в тексте — моноширинный шрифт системы. Узлы отмечены в MEASURE_SLIDES; чтобы у
    каждого была раскладка (и шрифт), reveal.js на время проверки показывает все слайды."""
    page.evaluate("Reveal.configure({viewDistance: 10000, mobileViewDistance: 10000}); Reveal.sync()")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    problems, checked = [], 0
    for kind in ("text", "code"):
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": f'[data-course-font="{kind}"]'})
        for node in nodes["nodeIds"]:
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            checked += bool(fonts)
            bad = sorted({f["familyName"] for f in fonts
                          if not ((f["familyName"].startswith(FONT_FAMILY) and f["isCustomFont"])
                                  or f["familyName"].startswith("MathJax_")
                                  or (kind == "code" and CODE_FONT.search(f["familyName"])))})
            if bad:
                html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
                problems.append(f"не тем шрифтом ({', '.join(bad)}): {html[:160]}")
    page.evaluate("Reveal.configure({viewDistance: 3, mobileViewDistance: 2}); Reveal.sync()")
    if not checked:
        problems.append("шрифт не проверен: ни у одного заголовка и абзаца нет раскладки")
    return problems


def slide_problems(info, where):
    """Замечания к одному слайду по измерениям GOTO_SLIDE."""
    problems = [f"{where}: формула не набрана: {t!r}" for t in info["rawMath"]]
    problems += [f"{where}: ошибка в формуле: {t!r}" for t in info["mathErrors"]]
    problems += [f"{where}: формула не видна: {t!r}" for t in info["unrendered"]]
    if info["scrolls"]:
        problems.append(f"{where}: не помещается даже при уменьшении до {info['zoom']:.2f}, прокручивается "
                        f"(высота {info['contentHeight']}px) — tools/set_slide_metadata.py, presentation()")
    elif info["zoom"] < MIN_ZOOM - 1e-6:
        problems.append(f"{where}: уменьшен до {info['zoom']:.2f} (можно не меньше {MIN_ZOOM})")
    problems += [f"{where}: обрезано справа: {c}" for c in info["cut"]]
    if not info["headings"]:
        problems.append(f"{where}: нет заголовка (ни своего, ни заголовка раздела)")
    problems += [f"{where}: заголовок «{h}» шрифтом {f}, а не {FONT_FAMILY}"
                 for h, f in zip(info["headings"], info["headingFonts"]) if f != FONT_FAMILY]
    for name, size in (("текст", info["minText"]), ("формулы", info["minMath"])):
        if size < MIN_FONT_PX:
            problems.append(f"{where}: {name} мельче {MIN_FONT_PX}px ({size:.1f}px)")
    for fig in info["figures"]:
        if fig["natural"][0] == 0:
            problems.append(f"{where}: рисунок не загрузился")
        elif fig["hiddenFragment"] or not fig["inView"]:
            problems.append(f"{where}: рисунок не виден на своём слайде целиком")
        elif fig["height"] < min(MIN_FIGURE_PX, fig["natural"][1]):
            problems.append(f"{where}: рисунок мелкий ({fig['height']:.0f}px по высоте)")
    return problems


# Снимки каждой колоды: при 1280x720 — по слайду каждого вида, при 1920x1080 — титул и рисунок (снимок стоит
# ~0.2 с); плюс до 5 слайдов с замечаниями.
SHOT_KINDS = [("title", "figure", "wrapped-code", "code", "text"), ("title", "figure")]


def shot_kind(info, first):
    """Какой это слайд для снимка экрана (по одному снимку каждого вида на колоду и размер экрана)."""
    if first:
        return "title"
    if info["figures"]:
        return "figure"
    if info["wrappedLines"]:
        return "wrapped-code"
    if info["hasCode"]:
        return "code"
    return "text"


def slides_problems(log, nb, screenshots=False, viewports=VIEWPORTS, report=None):
    """Все замечания к слайдам ноутбука nb: каждый слайд со всеми фрагментами при каждом размере экрана из
    viewports, шрифты — при первом. Снимки: по одному слайду каждого вида (shot_kind) и до 5 слайдов с
    замечаниями. report — словарь для измерений (в test-output)."""
    p = log.page
    p.wait_for_function("!!(window.Reveal && Reveal.isReady() && window.fitSlide)")
    p.evaluate("document.fonts.ready.then(() => true)")
    # снимки без полупрозрачных переходов между слайдами; без записи каждого слайда в историю браузера (быстрее)
    p.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none', history: false})")
    problems = log.common_problems()
    indices = p.evaluate(SLIDES)
    if len(indices) < 2:
        problems.append(f"всего {len(indices)} слайд — разметка слайдов не применена?")
    stored = stored_figures(nb)["slides"]
    for number, viewport in enumerate(viewports):
        size = f"{viewport['width']}x{viewport['height']}"
        p.set_viewport_size(viewport)
        infos = p.evaluate(MEASURE_SLIDES, indices)
        found = {tuple(i["slide"]): slide_problems(i, f"{size} слайд {i['slide'][0]}.{i['slide'][1]}") for i in infos}
        problems += [text for texts in found.values() for text in texts]
        if number == 0:
            cdp = log.context.new_cdp_session(p)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            problems += font_problems(p, cdp)
        n_figures = sum(len(i["figures"]) for i in infos)
        if n_figures < stored:
            problems.append(f"{size}: на слайдах {n_figures} рисунков, а в видимых ячейках ноутбука {stored}")
        if screenshots:
            kinds, shots = set(), []
            for info in infos:
                kind = shot_kind(info, info is infos[0])
                if kind not in kinds and kind in SHOT_KINDS[number]:
                    kinds.add(kind)
                    shots.append((info["slide"], kind))
            shots += [(list(k), f"problem-{k[0]}.{k[1]}") for k, v in found.items() if v][:5]
            (OUTPUT / "slides").mkdir(parents=True, exist_ok=True)
            for (h, v), name in shots:
                p.evaluate(MEASURE_SLIDES, [[h, v]])
                p.screenshot(path=str(OUTPUT / "slides" / f"{nb.stem}_{size}_{name}.png"))
        if report is not None:
            report[size] = [{"slide": "{}.{}".format(*i["slide"]), "zoom": i["zoom"], "scrolls": i["scrolls"],
                             "height": i["contentHeight"],
                             "cut": len(i["cut"]), "heading": i["headings"][:1],
                             "figure_text_px": [round(FIGURE_TEXT_PX * f["textScale"], 1) for f in i["figures"]],
                             "figure_height": [round(f["height"]) for f in i["figures"]],
                             "min_text_px": round(min(i["minText"], i["minMath"]) * i["scale"], 1),
                             "wrapped_lines": i["wrappedLines"]} for i in infos]
    return problems + log.network_problems()


def check_page(browser, path, nb, find_problems, **options):
    """Открыть страницу path и собрать замечания find_problems."""
    log = PageLog(browser, page_url(path))
    try:
        problems = find_problems(log, nb, **options)
        assert not problems, f"{nb.name}:\n" + "\n".join(problems[:60]) + (
            f"\n… и ещё {len(problems) - 60}" if len(problems) > 60 else "")
    finally:
        log.close()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_page(site, browser, nb):
    check_page(browser, site / "notebooks" / f"{nb.stem}.html", nb, notebook_page_problems,
               screenshots=nb == NOTEBOOKS[0])


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_slides(site, browser, nb):
    """Каждый слайд каждой колоды при 1280x720 и 1920x1080: не прокручивается, не уменьшен меньше MIN_ZOOM, код
    не обрезан справа, у каждого слайда заголовок, заголовки и текст шрифтом сайта, рисунки видны целиком и
    не мельче MIN_FIGURE_PX. Снимки — test-output/site/slides/, измерения — test-output/site/slides-NN.json."""
    report = {}
    try:
        check_page(browser, site / "slides" / f"{nb.stem}.slides.html", nb, slides_problems, screenshots=True,
                   report=report)
    finally:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        (OUTPUT / f"slides-{nb.stem}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))


def test_formula_sheet_page(site, browser):
    """Шпаргалка на сайте: ссылка из оглавления, все формулы набраны, текст в колонке для чтения."""
    index = PageLog(browser, page_url(site / "index.html"))
    try:
        assert "notebooks/formulas.html" in index.page.eval_on_selector_all(
            "p.sheet a", "els => els.map(e => e.getAttribute('href'))")
    finally:
        index.close()
    log = PageLog(browser, page_url(site / "notebooks" / "formulas.html"))
    try:
        problems = log.common_problems() + reading_problems(log.page, "p", "шпаргалка") + log.network_problems()
        links = log.page.eval_on_selector_all(".course-nav a", "els => els.map(e => e.getAttribute('href'))")
        problems += [f"ссылка {href} ведёт в никуда" for href in links
                     if not (site / "notebooks" / href).resolve().exists()]
        shown = log.page.eval_on_selector_all(".MJXc-display, .MathJax_Display", "els => els.length")
        expected = sum(len(rows) for _, _, rows in formula_sheet.SHEET)
        assert shown == expected, f"в шпаргалке набрано {shown} выключных формул, а в списке их {expected}"
        OUTPUT.mkdir(parents=True, exist_ok=True)
        log.page.screenshot(path=str(OUTPUT / "formulas.png"), full_page=True)
        assert not problems, "\n".join(problems)
    finally:
        log.close()


def test_checks_catch_a_broken_notebook(browser, tmp_path):
    """Проверки выше не пропускают поломки: ноутбук с ошибками даёт замечание каждого вида."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
    broken_png = new_output("display_data", data={"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB",
                                                  "text/plain": "<Figure>"})
    figure = new_code_cell("plt.show()")
    figure.outputs = [broken_png]
    nb = new_notebook(cells=[
        new_markdown_cell("# Сломанный ноутбук\n\nДробь без скобки $\\frac{1}{2$ и команда $\\nosuchmacro x$."),
        new_markdown_cell("## Из интернета\n\n<img src=\"https://example.invalid/plot.png\" width=\"10\">"),
        new_markdown_cell("## Рисунок\n\nНезакрытая формула $$ x + 1"),
        figure,
    ])
    set_slide_metadata.apply(nb)
    path = tmp_path / "99_broken.ipynb"
    nbformat.write(nb, path)
    build([path], tmp_path / "site", check_offline=False)   # ссылки в интернет здесь должен поймать браузер
    expected = ("ошибка в формуле", "формула не набрана", "запрос в сеть", "рисунок не загрузился")
    for kind, check in (("notebooks", notebook_page_problems), ("slides", slides_problems)):
        suffix = ".html" if kind == "notebooks" else ".slides.html"
        log = PageLog(browser, page_url(tmp_path / "site" / kind / f"99_broken{suffix}"))
        try:
            text = "\n".join(check(log, path))
        finally:
            log.close()
        missing = [e for e in expected if e not in text]
        assert not missing, f"{kind}: проверки не заметили {missing}; замечания:\n{text}"
