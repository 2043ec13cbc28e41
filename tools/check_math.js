// Разбор формул TeX-парсером MathJax 3 (npm mathjax-full) — для tools/check_math.py.
// Вход (stdin): JSON-список [tex, display]. Выход (stdout): JSON-список того же размера,
// null — формула разбирается, иначе {id, message} — ошибка MathJax.
// Пакеты — как у MathJax 2 сайта и Jupyter (TeX-AMS + то, что MathJax 2 подгружает сам); cancel, enclose,
// mhchem, braket и прочие MathJax 2 без настройки не знает, поэтому их здесь нет.
'use strict';
const path = require('path');
const MJ = path.join(process.env.MATHJAX_FULL || path.join(__dirname, 'web', 'node_modules', 'mathjax-full'), 'js');
const {mathjax} = require(path.join(MJ, 'mathjax.js'));
const {TeX} = require(path.join(MJ, 'input', 'tex.js'));
const {STATE} = require(path.join(MJ, 'core', 'MathItem.js'));
const {liteAdaptor} = require(path.join(MJ, 'adaptors', 'liteAdaptor.js'));
const {RegisterHTMLHandler} = require(path.join(MJ, 'handlers', 'html.js'));
require(path.join(MJ, 'input', 'tex', 'AllPackages.js'));

const PACKAGES = ['base', 'ams', 'newcommand', 'boldsymbol', 'bbox', 'color', 'html', 'unicode', 'verb'];

RegisterHTMLHandler(liteAdaptor());
const tex = new TeX({packages: PACKAGES, formatError: (jax, err) => { throw err; }});
const doc = mathjax.document('', {InputJax: tex});

let data = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => { data += chunk; });
process.stdin.on('end', () => {
  const results = JSON.parse(data).map(([source, display]) => {
    try {
      doc.convert(source, {display, end: STATE.COMPILED});
      return null;
    } catch (err) {
      return {id: err.id || err.name || 'Error', message: err.message};
    }
  });
  process.stdout.write(JSON.stringify(results));
});
