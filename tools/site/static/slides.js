// Запуск reveal.js на слайдах курса вместо шаблонного из nbconvert: тот же набор настроек, но без
// MathJax.Hub.Rerender при смене слайда (в выводе CommonHTML он стирает формулы скрытых слайдов) и без jQuery;
// плюс подгонка высоты. Настройки — window.COURSE_SLIDES из шаблона templates/course_reveal/index.html.j2.
(function (config) {
  require([config.revealUrl + "/dist/reveal.js", config.revealUrl + "/plugin/notes/notes.js"],
          function (Reveal, RevealNotes) {
    window.Reveal = Reveal;                       // для тестов и консоли браузера
    // Слайд выше экрана: сначала уменьшаем целиком (не мельче config.minZoom), остаток прокручивается.
    function fit(slide) {
      if (!slide) return;
      slide.style.zoom = ""; slide.style.height = ""; slide.style.overflowY = "";
      var H = Reveal.getConfig().height, h = slide.scrollHeight;
      if (h > H) {
        var z = Math.max(config.minZoom, H / h);
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
      transition: config.transition, slideNumber: config.slideNumber,
      width: config.width, height: config.height,
      plugins: [RevealNotes]
    });
  });
})(window.COURSE_SLIDES);
