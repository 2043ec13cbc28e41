"""Показ с живым ядром (README, «Для преподавателя»): слайды RISE в JupyterLab, в настоящем браузере.

Запускает JupyterLab так, как его запускает преподаватель (python -m tools.present), на 127.0.0.1, на свободном
порту, с токеном и со своими временными папками настроек (настройки пользователя не читаются), на копии
notebooks/, и открывает его в Chromium без экрана (Playwright):
  * 03 в JupyterLab не помечен изменённым; Alt+R открывает рядом слайды; на слайдах выполняются ячейка импорта и
    ячейка ползунков (щелчок и Ctrl+Enter), на слайде ползунков — живые ползунки, а не текст; ползунок
    «нейронов в слое» сдвигается мышью, сеть обучается заново, и рисунок на слайде меняется;
  * 01 слайдами при 1920x1080 и 1280x720: на каждом слайде ничего не обрезано краями экрана или ячейки
    (высокий слайд прокручивается), все формулы набраны; а копия начала 01 с прежней геометрией (1280x720)
    на 1920x1080 обрезана — значит, проверка краёв замечает обрезанное;
  * клавиши из README (пробел, стрелки, Home, End, W, Esc) делают то, что написано, и тогда, когда ни одна
    ячейка не в фокусе, а в редактируемой ячейке Home и End двигают курсор;
  * полоса прогресса обучения (tqdm) на слайде — живой виджет и доходит до конца;
  * после всего этого файлы ноутбуков байт в байт прежние (Alt+R сохраняет ноутбук перед показом).
Снимки экрана — в test-output/live/, сообщения консоли браузера — там же, console.txt.

Нужны Chromium и Playwright (как tests/test_site_browser.py); без них тест пропускается с подсказкой, под CI=true
падает. Сервер останавливается в любом случае (конец модуля, ошибка, Ctrl+C).
"""
import hashlib
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

import pytest

from tests.test_site_browser import CHROMIUM, FLAGS, skip_or_fail

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "test-output" / "live"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KNOB_NB, DECK_NB = "03_decision_boundaries.ipynb", "01_xor_derivation.ipynb"
FIXED_NB = "zz_fixed_geometry.ipynb"
SCREENS = {"1920x1080": {"width": 1920, "height": 1080}, "1280x720": {"width": 1280, "height": 720}}
TIMEOUT_MS = 60_000
# Признаки того, что менеджер виджетов не загрузился в слайдах (так было с jupyterlab-widgets 3.0.11+).
WIDGET_FAILURES = ("Failed to create module", "doesn't exist in shared scope", "Exception opening new comm",
                   "Error displaying widget")
ENABLE = "Включить: apt-get install -y chromium (или CHROMIUM=/путь) и pip install playwright."


@pytest.fixture(scope="module", autouse=True)
def _browser_available():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("нет пакета playwright. " + ENABLE)
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        skip_or_fail(f"нет браузера {CHROMIUM}. " + ENABLE)


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """JupyterLab из python -m tools.present на копии ноутбуков; останавливается через stop()."""

    def __init__(self, tmp):
        self.dir = tmp / "notebooks"
        self.dir.mkdir()
        for nb in NOTEBOOKS + [ROOT / "notebooks" / "rise.css"]:
            shutil.copy2(nb, self.dir / nb.name)
        # начало 01 с прежней геометрией RISE (слайд 1280x720): на нём проверка краёв должна найти обрезанное
        nb = json.loads((ROOT / "notebooks" / DECK_NB).read_text(encoding="utf-8"))
        nb["cells"], nb["metadata"]["rise"] = nb["cells"][:3], {"scroll": True, "width": "1280", "height": "720"}
        (self.dir / FIXED_NB).write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
        self.hashes = {p.name: digest(p) for p in self.dir.glob("*.ipynb")}
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
        for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR",
                    "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR"):
            env[var] = str(tmp / var.lower())
        # автосохранение (если бы оно было включено) — через секунду, а не через две минуты: тогда выполненные на
        # слайдах ячейки попали бы в файл во время теста, и test_notebook_files_unchanged это заметил бы
        user_settings = tmp / "jupyterlab_settings_dir" / "@jupyterlab" / "docmanager-extension"
        user_settings.mkdir(parents=True)
        (user_settings / "plugin.jupyterlab-settings").write_text('{"autosaveInterval": 1}', encoding="utf-8")
        self.log_path = tmp / "jupyter.log"
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tools.present", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
             f"--ServerApp.root_dir={self.dir}", "--LabApp.expose_app_in_browser=True"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"JupyterLab не запустился:\n{self.log()[-3000:]}", pytrace=False)
            time.sleep(0.2)

    def _answers(self):
        try:
            return self.api("GET", "/api/status") is not None
        except OSError:
            return False

    def api(self, method, path):
        request = urllib.request.Request(self.url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read()
        return json.loads(body) if body else {}

    def page_url(self, kind, name):
        return f"{self.url}/{kind}/{name}?token={self.token}"

    def log(self):
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self):
        """Остановить сервер и его ядра: /api/shutdown, затем SIGTERM, затем SIGKILL."""
        if self.process.poll() is None:
            try:
                self.api("POST", "/api/shutdown")
            except OSError:
                pass
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        self._log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = Lab(tmp_path_factory.mktemp("live"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def console():
    """Сообщения консоли браузера за все тесты модуля; в конце — в test-output/live/console.txt."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for old in OUTPUT.glob("*.png"):             # снимки прошлого запуска (например, обрезанного слайда) — долой
        old.unlink()
    messages = []
    yield messages
    (OUTPUT / "console.txt").write_text("\n".join(messages) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which(CHROMIUM) or CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Page:
    """Вкладка браузера на сервере lab: только запросы к 127.0.0.1 (остальное записано и оборвано), консоль
    записана."""

    def __init__(self, browser, lab, console, screen, label):
        self.label, self.external, self.console = label, [], console
        self.context = browser.new_context(viewport=SCREENS[screen], locale="ru-RU", service_workers="block")
        self.context.route("**/*", self._route)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append(f"[{label}] {m.type}: {m.text[:300]}"))
        self.page.on("pageerror", lambda e: self.console.append(f"[{label}] pageerror: {str(e)[:300]}"))
        self.lab = lab

    def _route(self, route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.external.append(url[:120])
            route.abort()

    def widget_failures(self):
        return [m for m in self.console if m.startswith(f"[{self.label}]") and any(f in m for f in WIDGET_FAILURES)]

    def close(self):
        self.context.close()


@pytest.fixture
def page(browser, lab, console, request):
    """Фабрика вкладок: page("1280x720") — новая вкладка; закрываются после теста."""
    opened = []

    def open_page(screen):
        p = Page(browser, lab, console, screen, f"{request.node.name}:{len(opened)}")
        opened.append(p)
        return p

    yield open_page
    for p in opened:
        p.close()


@pytest.fixture(scope="module")
def deck(browser, lab, console):
    """01 слайдами RISE (страница /rise/ — то, что Alt+R показывает рядом, во весь экран); одна вкладка на тесты
    ниже: каждый сам ставит размер окна и слайд."""
    p = Page(browser, lab, console, "1920x1080", "01")
    p.page.goto(lab.page_url("rise", DECK_NB))
    p.page.wait_for_function(CURRENT)
    # переходы слайдов мгновенные: проверяем, что показано, а не анимацию (у преподавателя она остаётся)
    p.page.add_style_tag(content=".reveal .slides section { transition: none !important; }")
    wait_for_keys(p.page)
    yield p
    p.close()


# --- что выполняется в странице -------------------------------------------------------------

# Текущий слайд RISE: вложенная <section id="slide-H-V"> (горизонтальная секция — раздел, вложенные — его слайды).
CURRENT = """() => { const s = document.querySelector('.reveal .slides > section.present > section.present');
  return s ? s.id : null; }"""
SLIDE_IDS = """() => [...document.querySelectorAll('.reveal .slides > section > section')].map(s => s.id)"""
OVERVIEW = "() => document.querySelector('.reveal').classList.contains('overview')"

# Дождаться, пока слайд перестанет двигаться (переход reveal, прокрутка, перерисовка): два кадра подряд на месте.
SETTLE = """async (id) => {
  const el = document.getElementById(id);
  let last = '', same = 0;
  for (let i = 0; i < 600 && same < 2; i++) {
    await new Promise(r => requestAnimationFrame(r));
    const r = el.getBoundingClientRect(), key = [r.x, r.y, r.width, r.height, el.scrollHeight].join();
    same = key === last ? same + 1 : 0;
    last = key;
  }
  return same >= 2;
}"""

# Что на текущем слайде обрезано: строки текста (и кода), рисунки, формулы, виджеты, вышедшие за край окна или
# за край своей ячейки (обрезающий блок: overflow не visible, — строка кода шире редактора). Высокий слайд RISE
# прокручивается (rise.scroll): вниз за край окна уходить можно, но сам слайд помещается в окно.
CUT = """() => {
  const slide = document.querySelector('.reveal .slides > section.present > section.present');
  const W = window.innerWidth, H = window.innerHeight, cut = [];
  const scrolls = /(auto|scroll)/.test(getComputedStyle(slide).overflowY) && slide.scrollHeight > slide.clientHeight + 1;
  const pieces = [[slide.getBoundingClientRect(), slide, 'слайд']];
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim() || node.parentElement.closest('aside.notes, script, style')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) pieces.push([r, node.parentElement, node.textContent.trim()]);
  }
  for (const el of slide.querySelectorAll('img, canvas, mjx-container, .widget-slider, .widget-dropdown, ' +
                                          '.widget-toggle-buttons, .widget-hprogress, .widget-readout')) {
    if (!el.closest('aside.notes')) pieces.push([el.getBoundingClientRect(), el, el.tagName.toLowerCase()]);
  }
  for (const [r, el, what] of pieces) {
    if (r.width < 1 || r.height < 1) continue;
    const sides = [];
    if (r.left < -1) sides.push('за левым краем окна');
    if (r.right > W + 1) sides.push('за правым краем окна');
    if (!scrolls || el === slide) {
      if (r.top < -1) sides.push('за верхним краем окна');
      if (r.bottom > H + 1) sides.push('за нижним краем окна');
    }
    for (let a = el.parentElement; a && a !== slide && !sides.length; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === 'visible') continue;
      const c = a.getBoundingClientRect();
      if (r.left < c.left - 1 || r.right > c.right + 1) sides.push('обрезано блоком ' + a.className.split(' ')[0]);
    }
    if (sides.length) cut.push(`${sides.join(', ')}: ${what.slice(0, 70)} ` +
                               JSON.stringify([r.left, r.top, r.right, r.bottom].map(Math.round)));
  }
  return {cut: cut.slice(0, 5), scrolls};
}"""

# Формулы markdown, которые MathJax не набрал (текст с $...$ или \\begin вне набранных формул).
RAW_MATH = """() => {
  const found = [];
  for (const md of document.querySelectorAll('.jp-RenderedMarkdown')) {
    const walker = document.createTreeWalker(md, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.parentElement.closest('code, pre, mjx-container, script, style')) continue;
      if (/\\$\\$|\\$[^$\\s][^$]*\\$|\\\\begin\\{/.test(node.textContent)) found.push(node.textContent.trim().slice(0, 60));
    }
  }
  return found;
}"""

# Ячейка кода, в тексте которой есть needle: номер слайда и состояние.
CELL = """([needle]) => {
  const cell = [...document.querySelectorAll('.jp-CodeCell')]
    .find(c => c.querySelector('.jp-InputArea-editor').textContent.includes(needle));
  if (!cell) return null;
  const img = cell.querySelector('.jp-OutputArea-output img');
  return {slide: cell.closest('section').id, prompt: cell.querySelector('.jp-InputPrompt').textContent.trim(),
          image: img ? img.src.length + ':' + img.src.slice(-40) : null,
          sliders: cell.querySelectorAll('.widget-slider').length,
          progress: [...cell.querySelectorAll('.widget-hprogress .progress')].map(p => {
            const bar = p.querySelector('.progress-bar').getBoundingClientRect(), r = p.getBoundingClientRect();
            return [Math.round(r.width), Math.round(r.height), Math.round(bar.width), getComputedStyle(p).display];
          }),
          text: cell.querySelector('.jp-Cell-outputArea').innerText.slice(0, 400)};
}"""


# Перейти на слайд по адресу #/slide-H-V и дождаться, пока он встанет на место. reveal.js пишет в адрес свой
# слайд и иногда затирает только что заданный (тогда перехода нет): задаём адрес ещё раз.
GOTO = """async (id) => {
  const frame = () => new Promise(r => requestAnimationFrame(r));
  const current = """ + CURRENT + """;
  for (let attempt = 0; attempt < 20 && current() !== id; attempt++) {
    location.hash = '#/' + id;
    for (let i = 0; i < 20 && current() !== id; i++) await frame();
  }
  if (current() !== id) return false;
  return await (""" + SETTLE + """)(id);
}"""


def goto_slide(frame, slide_id):
    assert frame.evaluate(GOTO, slide_id), f"не перейти на слайд {slide_id}: показан {frame.evaluate(CURRENT)}"


# Следить за номером выполнения ячейки: любое его изменение ([*] при запуске) — ячейка запущена.
WATCH = """([needle]) => {
  const cell = [...document.querySelectorAll('.jp-CodeCell')]
    .find(c => c.querySelector('.jp-InputArea-editor').textContent.includes(needle));
  const prompt = cell.querySelector('.jp-InputPrompt');
  window.courseRan = window.courseRan || {};
  window.courseRan[needle] = false;
  new MutationObserver(() => { window.courseRan[needle] = true; })
    .observe(prompt, {subtree: true, childList: true, characterData: true});
}"""


def run_cell(frame, needle, key="Control+Enter"):
    """Выполнить ячейку с текстом needle на её слайде, как преподаватель: перейти на слайд, щёлкнуть по коду,
    Ctrl+Enter (выполнить и остаться на слайде). Пока страница слайдов не загрузила сочетания клавиш, нажатие
    не действует — тогда ещё раз. Ждёт конца выполнения; возвращает состояние ячейки (CELL)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    cell = frame.evaluate(CELL, [needle])
    assert cell, f"нет ячейки с {needle!r}"
    goto_slide(frame, cell["slide"])
    keyboard = (frame.page if hasattr(frame, "parent_frame") else frame).keyboard
    frame.evaluate(WATCH, [needle])
    started = f"() => window.courseRan[{json.dumps(needle)}]"
    for attempt in range(10):
        frame.locator(".jp-CodeCell", has_text=needle).locator(".jp-InputArea-editor").first.click()
        keyboard.press(key)
        try:
            frame.wait_for_function(started, timeout=2000)
            break
        except PlaywrightTimeout:
            keyboard.press("Escape")
    frame.wait_for_function(f"() => ({started})() && /\\[\\d+\\]/.test(({CELL})({json.dumps([needle])}).prompt)",
                            timeout=120_000)
    keyboard.press("Escape")                 # из редактирования ячейки: клавиши снова листают слайды
    return frame.evaluate(CELL, [needle])


def wait_for_keys(page):
    """Дождаться, пока страница слайдов загрузит сочетания клавиш: W включает обзор (и выключает)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    for attempt in range(30):
        page.keyboard.press("w")
        try:
            page.wait_for_function(f"() => ({OVERVIEW})()", timeout=1000)
            break
        except PlaywrightTimeout:
            continue
    page.keyboard.press("w")
    page.wait_for_function(f"() => !({OVERVIEW})()", timeout=5000)


def _wait_frames(page):
    """Кадры страницы; ждём, пока у iframe слайдов появится свой документ."""
    page.wait_for_function("() => [...document.querySelectorAll('iframe')]"
                           ".some(f => f.src.includes('/rise/') && f.contentDocument"
                           " && f.contentDocument.querySelector('.reveal'))")
    return page.frames


# --- тесты ----------------------------------------------------------------------------------


def test_knob_works_on_the_slide(lab, page):
    """README: открыть 03, Alt+R, на слайдах выполнить импорт и ползунки; ползунок заново обучает сеть."""
    p = page("1920x1080")
    lab_page = p.page
    lab_page.goto(lab.page_url("lab/tree", KNOB_NB))
    lab_page.wait_for_function("() => window.jupyterapp && jupyterapp.shell.currentWidget"
                               " && jupyterapp.shell.currentWidget.sessionContext")
    # ядро запущено и сообщило о себе: JupyterLab уже записал его language_info в модель ноутбука
    kernel_python = lab_page.evaluate("""async () => {
      const w = jupyterapp.shell.currentWidget;
      await w.context.ready;
      await w.sessionContext.ready;
      const info = await w.sessionContext.session.kernel.info;
      const v = info.language_info.version;
      for (let i = 0; i < 600 && w.context.model.getMetadata('language_info').version !== v; i++)
        await new Promise(r => setTimeout(r, 50));
      return v;
    }""")
    stored = json.loads((lab.dir / KNOB_NB).read_text(encoding="utf-8"))["metadata"]["language_info"]["version"]
    dirty = lab_page.evaluate("() => [jupyterapp.shell.currentWidget.context.model.dirty,"
                              " document.querySelectorAll('.lm-TabBar-tab.jp-mod-dirty').length]")
    if kernel_python == stored:
        assert dirty == [False, 0], f"{KNOB_NB} помечен изменённым сразу после открытия: {dirty}"
    else:
        warnings.warn(f"ядро — Python {kernel_python}, ноутбук выполнен под {stored}: JupyterLab помечает его "
                      f"изменённым (язык ядра); файл при сохранении не меняется (tools.present)")
    lab_page.screenshot(path=str(OUTPUT / "lab_03_opened.png"))

    # Alt+R — слайды рядом (jupyterlab-rise перед этим сохраняет ноутбук)
    lab_page.locator(".jp-NotebookPanel .jp-MarkdownCell").first.click()
    lab_page.keyboard.press("Escape")
    lab_page.keyboard.press("Alt+r")
    lab_page.wait_for_function("() => [...document.querySelectorAll('iframe')].some(f => f.src.includes('/rise/'))")
    frame = next(f for f in _wait_frames(lab_page) if "/rise/" in f.url)
    frame.wait_for_function(CURRENT)
    assert digest(lab.dir / KNOB_NB) == lab.hashes[KNOB_NB], f"Alt+R изменил файл {KNOB_NB}"

    run_cell(frame, "import backprop as bp")
    start = time.perf_counter()
    knob = run_cell(frame, "show_boundary_knob")
    first_run = time.perf_counter() - start
    frame.wait_for_function(f"() => ({CELL})({json.dumps(['show_boundary_knob'])}).sliders >= 4")
    knob = frame.evaluate(CELL, ["show_boundary_knob"])
    assert "двигаются в Jupyter" not in knob["text"], f"на слайде текст вместо ползунков: {knob['text']!r}"
    assert knob["image"], "под ползунками нет рисунка"
    assert frame.evaluate(CURRENT) == knob["slide"], "Ctrl+Enter должен оставить слайд ползунков на экране"
    lab_page.screenshot(path=str(OUTPUT / "knob_before.png"))

    # сдвинуть мышью ползунок «нейронов в слое» (8 -> 2, к другому краю): сеть обучается заново, рисунок меняется
    slider = frame.locator(".widget-slider", has=frame.locator(".widget-label", has_text="нейронов в слое"))
    readout = slider.locator(".widget-readout")
    before = readout.inner_text().strip()
    handle, track = slider.locator(".noUi-handle").bounding_box(), slider.locator(".noUi-target").bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    lab_page.mouse.move(x, y)
    lab_page.mouse.down()
    right_half = x > track["x"] + track["width"] / 2
    lab_page.mouse.move(track["x"] + track["width"] * (0.17 if right_half else 0.83), y, steps=8)
    lab_page.mouse.up()
    start = time.perf_counter()
    frame.wait_for_function(f"""() => {{ const c = ({CELL})({json.dumps(['show_boundary_knob'])});
      return c.image && c.image !== {json.dumps(knob['image'])} && /готово за/.test(c.text); }}""")
    redraw = time.perf_counter() - start
    after = frame.evaluate(CELL, ["show_boundary_knob"])
    assert readout.inner_text().strip() != before, f"ползунок не сдвинулся: {before}"
    assert frame.evaluate(CURRENT) == knob["slide"], "ползунок перелистнул слайд"
    lab_page.screenshot(path=str(OUTPUT / "knob_after.png"))
    status = re.search(r"готово за [\d.,]+ с", after["text"])
    print(f"\nползунки: ячейка выполнена за {first_run:.1f} с; новый рисунок через {redraw:.1f} с после "
          f"отпускания ползунка ({status.group(0) if status else '—'})")
    assert not p.widget_failures(), p.widget_failures()
    # в интернет ходит только тема reveal.js слайдов (шрифты Google; без сети — шрифт браузера)
    assert all("fonts.googleapis.com" in u for u in p.external), p.external


def test_edge_check_finds_a_clipped_slide(page):
    """Проверка краёв не молчит: начало 01 с прежней геометрией RISE (1280x720) на экране 1920x1080 обрезано."""
    p = page("1920x1080")
    p.page.goto(p.lab.page_url("rise", FIXED_NB))
    p.page.wait_for_function(CURRENT)
    goto_slide(p.page, "slide-0-0")
    p.page.screenshot(path=str(OUTPUT / "fixed_geometry_1920x1080.png"))
    cut = p.page.evaluate(CUT)["cut"]
    assert any("краем окна" in c for c in cut), cut


@pytest.mark.parametrize("screen", SCREENS)
def test_slides_fit_the_screen(deck, screen):
    """01 слайдами: на каждом слайде ничего не обрезано краями экрана и ячеек, формулы набраны."""
    page = deck.page
    page.set_viewport_size(SCREENS[screen])
    page.wait_for_function(f"() => ({RAW_MATH})().length === 0")
    problems, scrolling = [], []
    slides = page.evaluate(SLIDE_IDS)
    assert len(slides) > 10, slides
    for slide_id in slides:
        goto_slide(page, slide_id)
        result = page.evaluate(CUT)
        if result["cut"] and not problems:
            page.screenshot(path=str(OUTPUT / f"01_{screen}_{slide_id}_cut.png"))
        problems += [f"{slide_id}: {c}" for c in result["cut"]]
        if result["scrolls"]:
            scrolling.append(slide_id)
        if slide_id in ("slide-0-0", "slide-1-2") or (result["scrolls"] and len(scrolling) == 1):
            page.screenshot(path=str(OUTPUT / f"01_{screen}_{slide_id}.png"))
    print(f"\n{screen}: {len(slides)} слайдов, прокручиваются {len(scrolling)}: {scrolling}")
    assert not problems, f"{screen}: обрезано:\n" + "\n".join(problems)
    assert not deck.widget_failures(), deck.widget_failures()


def test_keys_listed_in_readme(deck):
    """README, «Клавиши в слайдах»: работают без щелчка по слайду и после перехода End/Home."""
    page = deck.page
    page.set_viewport_size(SCREENS["1280x720"])
    slides = page.evaluate(SLIDE_IDS)
    section = lambda slide_id: int(slide_id.split("-")[1])  # noqa: E731
    first, last = section(slides[0]), section(slides[-1])
    goto_slide(page, slides[0])
    page.evaluate("() => document.activeElement.blur()")

    def press(key, where):
        """Нажать key и дождаться слайда where: id слайда или номер раздела."""
        page.keyboard.press(key)
        test = (f"=== {json.dumps(where)}" if isinstance(where, str)
                else f"&& +({CURRENT})().split('-')[1] === {where}")
        page.wait_for_function(f"() => ({CURRENT})() {test}", timeout=5000)

    def overview(key, expected):
        page.keyboard.press(key)
        page.wait_for_function(f"() => ({OVERVIEW})() === {json.dumps(expected)}", timeout=5000)

    assert page.evaluate("() => document.activeElement === document.body"), "ничего не должно быть в фокусе"
    press("Space", slides[1])                            # пробел — следующий слайд, и вниз по разделу
    press("Shift+Space", slides[0])                      # Shift+пробел — предыдущий
    press("PageDown", slides[1])
    press("PageUp", slides[0])
    press("ArrowRight", first + 1)                       # → — следующий раздел
    press("ArrowLeft", first)                            # ← — предыдущий раздел
    press("End", last)                                   # End — последний раздел
    press("Home", first)                                 # Home — первый (после End фокуса нет — и не нужен)
    overview("w", True)                                  # W — обзор всех слайдов
    page.screenshot(path=str(OUTPUT / "keys_overview.png"))
    overview("Escape", False)                            # Esc — выйти из обзора
    overview("w", True)
    overview("w", False)
    # в редактируемой ячейке кода End и Home двигают курсор, а не слайды
    cell = page.evaluate(CELL, ["import backprop as bp"])
    goto_slide(page, cell["slide"])
    page.locator(".jp-CodeCell", has_text="import backprop as bp").locator(".cm-content").first.click()
    for key in ("End", "Home"):
        page.keyboard.press(key)
    page.wait_for_function("() => document.activeElement.classList.contains('cm-content')")
    assert page.evaluate(CURRENT) == cell["slide"] and not page.evaluate(OVERVIEW)
    page.keyboard.press("Escape")                        # выйти из редактирования: клавиши снова листают слайды
    press("End", last)


def test_progress_bar_on_the_slide(deck):
    """Обучение с полосой прогресса (tqdm.auto) на слайде 01: живой виджет, доходит до конца."""
    page = deck.page
    page.set_viewport_size(SCREENS["1920x1080"])
    run_cell(page, "import backprop as bp")
    run_cell(page, "hidden_size = 3")
    page.wait_for_function(f"() => ({CELL})({json.dumps(['hidden_size = 3'])}).progress.length > 0")
    cell = page.evaluate(CELL, ["hidden_size = 3"])
    assert "100%" in cell["text"] and "1000/1000" in cell["text"], cell["text"]
    (width, height, filled, display), = cell["progress"]
    assert display != "none" and width > 100 and height > 5, f"полоса прогресса не видна: {cell['progress']}"
    assert filled >= width - 1, f"полоса прогресса не дошла до конца: {cell['progress']}"
    page.locator(".jp-CodeCell", has_text="hidden_size = 3").screenshot(path=str(OUTPUT / "progress_bar.png"))
    assert not deck.widget_failures(), deck.widget_failures()


def test_notebook_files_unchanged(lab):
    """Открыть, показать слайдами (Alt+R сохраняет), выполнить ячейки на слайдах — файлы прежние."""
    changed = [name for name, h in lab.hashes.items() if digest(lab.dir / name) != h]
    assert not changed, f"изменились файлы: {changed}\n" + "\n".join(
        line for line in lab.log().splitlines() if "Saving file" in line)
    differs = [p.name for p in NOTEBOOKS if digest(p) != lab.hashes[p.name]]
    assert not differs, f"копии отличаются от notebooks/ (ноутбук поменялся во время теста?): {differs}"
    print("\nсохранено сервером:", [line.split("Saving file at ")[-1] for line in lab.log().splitlines()
                                     if "Saving file at" in line], f"Python ядра {platform.python_version()}")
