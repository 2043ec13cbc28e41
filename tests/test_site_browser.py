"""Сайт курса и слайды в настоящем браузере (Chromium без экрана, через Playwright).

Собирает сайт (python -m tools.build_site) во временную папку, открывает каждую страницу и каждый файл слайдов
по file:// и проверяет на каждой странице:
  * все формулы набраны MathJax: в тексте не осталось `$$`, `$...$`, `\\begin{`, нет ошибок MathJax;
  * каждый сохранённый рисунок загрузился (naturalWidth > 0) и виден (ненулевой размер на экране);
    на слайдах — на своём слайде, со всеми фрагментами, и не мельче MIN_FIGURE_PX по высоте;
  * текст и формулы на слайдах не мельче MIN_FONT_PX; слайд из нескольких ячеек не прокручивается;
  * страница не обратилась никуда, кроме file:// (любой другой запрос перехвачен и записан), все
    локальные файлы нашлись, нет ошибок JavaScript и ошибок отрисовки виджетов.
Снимки экрана (оглавление, страница ноутбука, слайды) — в test-output/site/.

Нужны Chromium и Playwright; без них тест пропускается с подсказкой:
    apt-get install -y chromium            # Debian: /usr/bin/chromium (или CHROMIUM=/путь/к/chromium)
    pip install playwright                 # скачивать браузер playwright install не нужно
и npm (Node.js) — один раз поставить MathJax и reveal.js для сборки сайта (tools/web/package-lock.json).
Под CI (переменная окружения CI=true) пропуск запрещён: чего-то не хватает — тест падает, а не молчит.
"""
import functools
import os
import shutil
from pathlib import Path

import pytest

from tools import build_site, set_slide_metadata

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "test-output" / "site"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Флаги как у проверки машины: без фоновых обращений Chromium к сети (иначе он сам ходит к Google).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 720}
MIN_FONT_PX = 18      # текст на слайде (px слайда 1280x720, после уменьшения длинного слайда)
MIN_FIGURE_PX = 280   # высота рисунка на слайде: почти половина экрана, читается с последней парты
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

GOTO_SLIDE = """async ([h, v]) => {
  Reveal.slide(h, v, 1000);                    // 1000: показать все фрагменты слайда
  // шаблон перерисовывает формулы при смене слайда; ждём очередь MathJax (не дольше 30 с)
  await Promise.race([new Promise(r => { MathJax.Hub.Queue(() => { r(); }); }),
                      new Promise(r => setTimeout(r, 30000))]);
  const slide = Reveal.getCurrentSlide();
  window.fitSlide(slide);
  const scale = Reveal.getScale() * parseFloat(slide.dataset.fitZoom || "1");
  const font = el => parseFloat(getComputedStyle(el).fontSize) * parseFloat(slide.dataset.fitZoom || "1");
  const texts = [...slide.querySelectorAll('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li')];
  const maths = [...slide.querySelectorAll('.MathJax_CHTML, .mjx-chtml')];
  const figures = [];
  for (const img of slide.querySelectorAll('.jp-OutputArea-output img')) {
    if (slide.style.overflowY === 'auto') {   // длинный слайд прокручивается сам по себе
      slide.scrollTop = 0;
      slide.scrollTop = img.getBoundingClientRect().top - slide.getBoundingClientRect().top - 10;
    }
    const r = img.getBoundingClientRect();
    const hiddenFragment = [...slide.querySelectorAll('.fragment')]
      .some(f => f.contains(img) && !f.classList.contains('visible'));
    figures.push({natural: [img.naturalWidth, img.naturalHeight], height: r.height / Reveal.getScale(),
                  inView: r.bottom > 0 && r.top < window.innerHeight && r.width > 0, hiddenFragment});
  }
  slide.scrollTop = 0;
  return {
    cells: slide.querySelectorAll('.jp-Cell').length,
    zoom: parseFloat(slide.dataset.fitZoom || "1"),
    scrolls: slide.style.overflowY === 'auto',
    minText: Math.min(...texts.map(font)),
    minMath: Math.min(...maths.map(font)),
    figures,
    rawMath: (%s)(slide),
    mathErrors: (%s)(slide),
    unrendered: (%s)(slide),
  };
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
        OUTPUT.mkdir(parents=True, exist_ok=True)
        log.page.screenshot(path=str(OUTPUT / "index.png"))
        problems += log.network_problems()
        assert not problems, "\n".join(problems)
    finally:
        log.close()


def notebook_page_problems(log, nb, screenshots=False):
    """Все замечания к странице ноутбука nb (уже открытой в log)."""
    p = log.page
    problems = log.common_problems()
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
        if images:
            p.locator(".jp-OutputArea-output img").first.scroll_into_view_if_needed()
            p.screenshot(path=str(OUTPUT / "notebook_page_figure.png"))
    return problems + log.network_problems()


def slides_problems(log, nb, screenshots=False):
    """Все замечания к слайдам ноутбука nb: обходит каждый слайд со всеми фрагментами."""
    p = log.page
    p.wait_for_function("!!(window.Reveal && Reveal.isReady() && window.fitSlide)")
    # снимки без полупрозрачных переходов между слайдами
    p.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
    problems = log.common_problems()
    indices = p.evaluate(SLIDES)
    if len(indices) < 2:
        problems.append(f"всего {len(indices)} слайд — разметка слайдов не применена?")
    shots, n_figures = set(), 0
    for h, v in indices:
        info = p.evaluate(GOTO_SLIDE, [h, v])
        where = f"слайд {h}.{v}"
        problems += [f"{where}: формула не набрана: {t!r}" for t in info["rawMath"]]
        problems += [f"{where}: ошибка в формуле: {t!r}" for t in info["mathErrors"]]
        problems += [f"{where}: формула не видна: {t!r}" for t in info["unrendered"]]
        if info["cells"] > 1 and info["scrolls"]:
            problems.append(f"{where}: {info['cells']} ячеек не помещаются даже при уменьшении — "
                            "поправьте оценку высоты в tools/set_slide_metadata.py")
        for name, size in (("текст", info["minText"]), ("формулы", info["minMath"])):
            if size < MIN_FONT_PX:
                problems.append(f"{where}: {name} мельче {MIN_FONT_PX}px ({size:.1f}px)")
        for fig in info["figures"]:
            n_figures += 1
            if fig["natural"][0] == 0:
                problems.append(f"{where}: рисунок не загрузился")
            elif fig["hiddenFragment"] or not fig["inView"]:
                problems.append(f"{where}: рисунок не виден на своём слайде")
            elif fig["height"] < min(MIN_FIGURE_PX, fig["natural"][1]):
                problems.append(f"{where}: рисунок мелкий ({fig['height']:.0f}px по высоте)")
        if screenshots:
            kind = ("title" if [h, v] == indices[0] else "figure" if info["figures"] else
                    "formula" if p.evaluate("!!Reveal.getCurrentSlide().querySelector('.MJXc-display')")
                    else None)
            if kind and kind not in shots:
                shots.add(kind)
                OUTPUT.mkdir(parents=True, exist_ok=True)
                p.screenshot(path=str(OUTPUT / f"slide_{kind}.png"))
    stored = stored_figures(nb)["slides"]
    if n_figures < stored:
        problems.append(f"на слайдах {n_figures} рисунков, а в видимых ячейках ноутбука {stored}")
    return problems + log.network_problems()


def check_page(browser, path, nb, find_problems):
    """Открыть страницу path, собрать замечания find_problems (снимки — только для первого ноутбука)."""
    log = PageLog(browser, page_url(path))
    try:
        problems = find_problems(log, nb, screenshots=nb == NOTEBOOKS[0])
        assert not problems, f"{nb.name}:\n" + "\n".join(problems)
    finally:
        log.close()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_page(site, browser, nb):
    check_page(browser, site / "notebooks" / f"{nb.stem}.html", nb, notebook_page_problems)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_slides(site, browser, nb):
    check_page(browser, site / "slides" / f"{nb.stem}.slides.html", nb, slides_problems)


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
