// Запуск reveal.js на слайдах курса вместо шаблонного из nbconvert: тот же набор настроек, но без
// MathJax.Hub.Rerender при смене слайда (в выводе CommonHTML он стирает формулы скрытых слайдов) и без jQuery;
// плюс подгонка слайда под экран (fit): рисунок — во всё свободное место, строка кода шире слайда переносится,
// формула шире слайда уменьшается, слайд выше экрана уменьшается (не меньше minZoom). Настройки —
// window.COURSE_SLIDES из шаблона templates/course_reveal/index.html.j2.
(function (config) {
  var MIN_FIGURE_HEIGHT = 300;     // px слайда: рисунок не уменьшается ниже, дальше уменьшается весь слайд
  var MIN_MATH_ZOOM = 0.6;         // формула шире слайда уменьшается до ширины слайда, но не мельче

  // Формула в выносе шире слайда (длинная строка в рамке) уменьшается целиком, а не обрезается справа.
  function fitMath(slide) {
    slide.querySelectorAll(".MJXc-display, .MathJax_Display").forEach(function (display) {
      display.style.zoom = "";
      var wide = display.scrollWidth, room = display.clientWidth;
      if (wide > room + 1) display.style.zoom = Math.max(MIN_MATH_ZOOM, room / wide);
    });
  }

  // Блок кода шире слайда: каждая строка — отдельный элемент span.course-line, длинная строка переносится
  // с отступом (slides.css). Подсветка (span внутри pre) закрывается в конце строки и открывается заново.
  function wrapLines(pre) {
    if (pre.dataset.courseLines || pre.scrollWidth <= pre.clientWidth + 1) return;
    pre.dataset.courseLines = "1";
    var lines = [], open = [], line = "", token, re = /(<[^>]+>)|([^<]+)/g;
    var html = pre.innerHTML;
    while ((token = re.exec(html)) !== null) {
      if (token[1]) {
        if (/^<\//.test(token[1])) open.pop(); else if (!/\/>$/.test(token[1])) open.push(token[1]);
        line += token[1];
        continue;
      }
      var parts = token[2].split("\n");
      for (var k = 0; k < parts.length; k++) {
        if (k > 0) {
          lines.push(line + open.map(function () { return "</span>"; }).join(""));
          line = open.join("");
        }
        line += parts[k];
      }
    }
    lines.push(line);
    var text = function (h) { var d = document.createElement("div"); d.innerHTML = h; return d.textContent; };
    while (lines.length && text(lines[lines.length - 1]) === "") lines.pop();
    pre.innerHTML = lines.map(function (h) {
      var t = text(h), indent = t.length - t.replace(/^ +/, "").length;
      return '<span class="course-line" style="--course-indent: ' + indent + 'ch">' + (t ? h : " ") + "</span>";
    }).join("");
  }

  function markWrapped(slide) {
    slide.querySelectorAll("pre[data-course-lines]").forEach(function (pre) {
      var lines = pre.querySelectorAll(".course-line");
      var one = Math.min.apply(null, [].map.call(lines, function (l) { return l.offsetHeight || 1e9; }));
      lines.forEach(function (l) { l.classList.toggle("course-wrapped", l.offsetHeight > 1.5 * one); });
    });
  }

  // Рисунок — во всю ширину ячейки, но не крупнее сохранённых точек PNG (они в 2 раза крупнее показа).
  function setFigureWidth(img, width) {
    var natural = img.naturalWidth, ratio = img.naturalHeight / Math.max(natural, 1);
    var minWidth = Math.min(natural, MIN_FIGURE_HEIGHT / ratio, img.parentElement.clientWidth);   // и не шире ячейки
    width = Math.max(minWidth, Math.min(width, natural, img.parentElement.clientWidth));
    img.classList.add("course-fitted");
    img.style.width = width + "px";
    img.style.height = (width * ratio) + "px";
  }

  // Слайд выше экрана: сначала уменьшаются рисунки (не ниже MIN_FIGURE_HEIGHT), потом весь слайд (zoom, не
  // меньше config.minZoom); что и тогда не влезло — прокручивается. Рисунок занимает всё свободное место.
  function fit(slide) {
    if (!slide) return;
    slide.style.zoom = ""; slide.style.height = ""; slide.style.overflowY = "";
    slide.querySelectorAll("pre").forEach(wrapLines);
    fitMath(slide);
    var H = Reveal.getConfig().height;
    var images = [].filter.call(slide.querySelectorAll(".jp-OutputArea-output img"), function (img) {
      if (!img.complete || !img.naturalWidth) {
        img.addEventListener("load", function () { if (Reveal.getCurrentSlide() === slide) fit(slide); },
                             {once: true});
        return false;
      }
      return true;
    });
    images.forEach(function (img) { setFigureWidth(img, img.parentElement.clientWidth); });
    var h = slide.scrollHeight;
    if (images.length && h > H) {
      var total = images.reduce(function (s, img) { return s + img.offsetHeight; }, 0);
      var f = Math.max(0, (H - (h - total)) / total);
      images.forEach(function (img) { setFigureWidth(img, Math.floor(img.offsetWidth * f)); });
      h = slide.scrollHeight;
    }
    if (h > H) {
      var z = Math.max(config.minZoom, H / h);
      slide.style.zoom = z;
      if (h * z > H + 1) { slide.style.height = (H / z) + "px"; slide.style.overflowY = "auto"; }
    }
    markWrapped(slide);
    slide.dataset.fitZoom = slide.style.zoom || "1";
    Reveal.layout();
  }

  require([config.revealUrl + "/dist/reveal.js", config.revealUrl + "/plugin/notes/notes.js"],
          function (Reveal, RevealNotes) {
    window.Reveal = Reveal;                       // для тестов и консоли браузера
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
      transition: config.transition, slideNumber: config.slideNumber,
      width: config.width, height: config.height,
      plugins: [RevealNotes]
    });
  });
})(window.COURSE_SLIDES);
