"""Шпаргалка курса: все формулы, их обозначения и имя в коде — на одной странице для печати.

    python -m tools.formula_sheet            # перезаписать notebooks/formulas.md
    python -m tools.formula_sheet --check    # код выхода 1, если файл устарел

Единственный источник — список SHEET ниже. Каждая формула в нём записана ровно так, как в ноутбуке, на
который она ссылается, а имя в коде — выражение, которое вычисляется в модулях курса. Тест
tests/test_formula_sheet.py проверяет и то и другое: формулу поменяли в ноутбуке, а в шпаргалке нет (или
переименовали функцию в модуле) — тест падает; шпаргалку поменяли руками, а не здесь — тоже.
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "notebooks" / "formulas.md"

# (заголовок раздела, ноутбук, [(формула TeX — как в ноутбуке, что это, имя в коде или "")])
SHEET = [
    ("Прямой проход сети 2-3-1", "01_xor_derivation.ipynb", [
        (r"SX_j = \sum_{s} v_{sj} I_s + b^{\text{in}}_j", "взвешенная сумма скрытого нейрона $j$",
         "net.forward(X)"),
        (r"X_j = \sigma(SX_j)", "выход скрытого нейрона", "net.forward(X)[1]"),
        (r"SY_i = \sum_{j} w_{ji} X_j + b^{\text{out}}_i", "взвешенная сумма выходного нейрона $i$", ""),
        (r"Y_i = \sigma(SY_i)", "выход сети", "net.predict_proba(X)"),
        (r"\sigma(S) = \frac{1}{1 + e^{-S}}", "сигмоида", "bp.sigmoid"),
        (r"\sigma'(S) = \frac{e^{-S}}{(1 + e^{-S})^2} = \sigma(S)\,\bigl(1 - \sigma(S)\bigr)",
         "производная сигмоиды через её значение", 'bp.ACTIVATIONS["sigmoid"].derivative'),
        (r"E = \frac{1}{2} \sum_{i} (Y_i - a_i)^2", "функция потерь на одном примере (квадратичная)",
         'bp.LOSSES["mse"]'),
        (r"E = \frac{1}{N} \sum_{n=1}^{N} E^{(n)}", "функция потерь модуля — среднее по $N$ примерам",
         "net.loss(X, A)"),
    ]),
    ("Обратный проход: ошибки нейронов и градиенты", "01_xor_derivation.ipynb", [
        (r"\tau^{\text{out}}_i = (Y_i - a_i)\, Y_i (1 - Y_i)", "ошибка выходного нейрона",
         'bp.LOSSES["mse"].tau_out'),
        (r"\frac{\partial E}{\partial w_{ji}} = \tau^{\text{out}}_i X_j", "градиент веса выходного слоя",
         "net.gradients(X, A)[0][1]"),
        (r"\tau^{\text{in}}_j = \Big(\sum_i \tau^{\text{out}}_i w_{ji}\Big) X_j (1 - X_j)",
         "ошибка внутреннего нейрона", "net.tau_terms(X, A)[0]"),
        (r"\frac{\partial E}{\partial v_{sj}} = \tau^{\text{in}}_j I_s", "градиент веса внутреннего слоя",
         "net.gradients(X, A)[0][0]"),
        (r"\frac{\partial E}{\partial b^{\text{out}}_i} = \tau^{\text{out}}_i", "градиент смещения — сама ошибка нейрона",
         "net.gradients(X, A)[1]"),
        (r"w \leftarrow w - \eta\, \frac{\partial E}{\partial w}", "шаг градиентного спуска, $\\eta$ — скорость обучения",
         "net.fit(X, A, epochs, learning_rate)"),
    ]),
    ("Пакетная форма (примеры — столбцы)", "01_xor_derivation.ipynb", [
        (r"\tau^{\text{out}} = (Y - A) \odot Y \odot (1 - Y)", "ошибки выходного слоя для всех примеров",
         "bp.Network._backward"),
        (r"\tau^{\text{in}} = \bigl(W^{\mathsf{T}} \tau^{\text{out}}\bigr) \odot \mathbf{X} \odot (1 - \mathbf{X})",
         "ошибки скрытого слоя: транспонированные веса несут $\\tau$ назад", "bp.Network._backward"),
        (r"\frac{\partial E}{\partial W} = \frac{1}{N}\, \tau^{\text{out}} \mathbf{X}^{\mathsf{T}}",
         "градиент матрицы весов — среднее по примерам", "bp.Network.gradients"),
    ]),
    ("Проверка конечными разностями", "02_gradient_check.ipynb", [
        (r"\frac{E(w + \varepsilon) - E(w - \varepsilon)}{2 \varepsilon} = E'(w) + \frac{\varepsilon^2}{6} E'''(w) + O(\varepsilon^4)",
         "центральная разность: погрешность усечения порядка $\\varepsilon^2$", "bp.numerical_gradients"),
        (r"r = \frac{\lVert g - \hat g \rVert}{\lVert g \rVert + \lVert \hat g \rVert}",
         "относительная погрешность: меньше $10^{-7}$ — вывод верен, от $10^{-3}$ — ошибка в формулах",
         "bp.relative_error"),
    ]),
    ("Функции потерь и активации", "04_losses_activations_depth.ipynb", [
        (r"E = -\sum_i \big[a_i \ln Y_i + (1 - a_i) \ln (1 - Y_i)\big]",
         "перекрёстная энтропия с сигмоидой на выходе", 'bp.LOSSES["cross_entropy"]'),
        (r"\tau^{\text{out}}_i = \frac{\partial E}{\partial Y_i} \cdot \frac{\partial Y_i}{\partial SY_i} = \frac{Y_i - a_i}{Y_i (1 - Y_i)} \cdot Y_i (1 - Y_i) = Y_i - a_i",
         "с перекрёстной энтропией множитель $\\sigma'$ сокращается", 'bp.LOSSES["cross_entropy"].tau_out'),
        (r"Y_i = \frac{e^{SY_i}}{\sum_k e^{SY_k}}", "softmax: вероятности $K$ классов", "bp.softmax"),
        (r"E = -\sum_i a_i \ln Y_i", "перекрёстная энтропия для $K$ классов (ответ one-hot); снова $\\tau^{\\text{out}}_i = Y_i - a_i$",
         'bp.LOSSES["cross_entropy"]'),
        (r"\tanh'(s) = 1 - \tanh^2(s)", "производная $\\tanh$ через выход", 'bp.ACTIVATIONS["tanh"].derivative'),
        (r"\mathrm{ReLU}'(s) = [s > 0]", "производная ReLU", 'bp.ACTIVATIONS["relu"].derivative'),
        (r"\tau^{\text{in}}_j = \Big(\sum_i \tau^{\text{out}}_i w_{ji}\Big) \cdot f'(SX_j)",
         "ошибка внутреннего нейрона с любой активацией $f$", "bp.Network._backward"),
    ]),
    ("Сеть из $L$ слоёв", "04_losses_activations_depth.ipynb", [
        (r"S^{(k)} = W^{(k)} X^{(k-1)} + b^{(k)}, \qquad X^{(k)} = f_k\big(S^{(k)}\big)",
         "прямой проход слоя $k$; $X^{(0)} = I$, $b^{(1)} = b^{\\text{in}}$, $b^{(2)} = b^{\\text{out}}$ у сети 2-3-1",
         "net.forward(X)"),
        (r"\tau^{(k)} = \Big(W^{(k+1)\top} \tau^{(k+1)}\Big) \odot f_k'\big(S^{(k)}\big)",
         "рекурсия ошибок от выхода ко входу", "net.tau_terms(X, A)"),
        (r"\frac{\partial E}{\partial W^{(k)}} = \frac{1}{N}\, \tau^{(k)} X^{(k-1)\top}", "градиент слоя $k$",
         "net.gradients(X, A)"),
        (r"\frac{\partial E}{\partial b^{(k)}} = \frac{1}{N}\, \tau^{(k)} \mathbf{1}", "градиент смещений слоя $k$",
         "net.gradients(X, A)[1]"),
        (r"\mathrm{Var}(SX_j) = n \cdot \mathrm{Var}(v) \cdot \mathbb{E}\big[I^2\big]",
         "дисперсия взвешенной суммы $n$ входов", ""),
        (r"r = \sqrt{6 / (n_{\text{in}} + n_{\text{out}})}",
         "инициализация Глорота (Xavier): $v \\sim U(-r, r)$; у ReLU — Хе, $N(0, 2/n_{\\text{in}})$",
         'bp.ACTIVATIONS["tanh"].init'),
    ]),
    ("Мини-пакеты", "05_digits.ipynb", [
        (r"E_B = \frac{1}{|B|} \sum_{n \in B} E^{(n)}", "функция потерь пакета $B$; шаг — по её градиенту",
         "net.fit(..., batch_size=...)"),
    ]),
    ("Оптимизаторы и регуляризация", "07_training_in_practice.ipynb", [
        (r"v \leftarrow \beta \, v + g", "импульс: накопленный градиент $v$ (свой у каждого веса, сначала 0); $g = \\partial E / \\partial w$",
         "bp.Momentum"),
        (r"w \leftarrow w - \eta \, v", "шаг с импульсом", "net.fit(..., optimizer=bp.Momentum(beta))"),
        (r"m \leftarrow \beta_1 m + (1 - \beta_1)\, g", "Adam: среднее градиента", "bp.Adam"),
        (r"s \leftarrow \beta_2 s + (1 - \beta_2)\, g^2", "Adam: среднее квадрата градиента", "bp.Adam"),
        (r"w \leftarrow w - \eta \, \frac{\hat m}{\sqrt{\hat s} + \varepsilon}",
         "шаг Adam; $\\hat m = m / (1 - \\beta_1^t)$, $\\hat s = s / (1 - \\beta_2^t)$ — поправка на старт с нуля",
         "net.fit(..., optimizer=bp.Adam())"),
        (r"E_\lambda = E + \frac{\lambda}{2} \sum_k \sum_{i, j} \big(w^{(k)}_{ji}\big)^2",
         "L2-регуляризация: штраф за большие веса, смещения не штрафуются", "bp.l2_penalty"),
        (r"\frac{\partial E_\lambda}{\partial w_{ji}} = \frac{1}{N} \sum_{n=1}^{N} \big(\tau^{\text{out}}_i X_j\big)^{(n)} + \lambda \, w_{ji}",
         "градиент с L2: к прежнему прибавляется $\\lambda w$", "net.fit(..., weight_decay=λ)"),
    ]),
]


def _plain(tex):
    """Формула без разметки выравнивания и пробелов: так её можно найти внутри aligned в ноутбуке."""
    tex = re.sub(r"\\(?:qquad|quad|,|;|!)|&", "", tex)
    return re.sub(r"\s+", "", tex)


def notebook_markdown(name):
    """Весь markdown ноутбука одной строкой."""
    nb = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def missing_formulas():
    """[(ноутбук, формула)] — формулы шпаргалки, которых нет в своём ноутбуке дословно."""
    missing = []
    for _, notebook, rows in SHEET:
        text = _plain(notebook_markdown(notebook))
        missing += [(notebook, tex) for tex, _, _ in rows if _plain(tex) not in text]
    return missing


def render():
    """Текст notebooks/formulas.md."""
    lines = ["# Шпаргалка: формулы курса «Обратное распространение ошибки»", "",
             "<!-- Файл создан командой python -m tools.formula_sheet из tools/formula_sheet.py; не правьте его руками. -->",
             "",
             "Обозначения — как в курсе: входы $I_s$, веса $v_{sj}$ (вход $s$ → скрытый нейрон $j$) и $w_{ji}$ "
             "(скрытый нейрон $j$ → выходной нейрон $i$), выходы $X_j$ и $Y_i$, правильные ответы $a_i$, функция "
             "потерь $E$. В коде примеры — столбцы, `W[i, j]` $= w_{ji}$, `V[j, s]` $= v_{sj}$; номер примера — "
             "в верхнем индексе, $E^{(n)}$; номер слоя в ноутбуке 04 — тоже в скобках сверху, $W^{(k)}$. "
             "В литературе ошибку нейрона $\\tau$ обозначают $\\delta$. Имена в коде: `bp` — модуль `backprop`, "
             "`net` — сеть `bp.Network`.", ""]
    for title, notebook, rows in SHEET:
        lines += [f"## {title} (ноутбук {notebook[:2]})", ""]
        for tex, meaning, code in rows:
            where = f" · в коде: `{code}`" if code else ""
            lines += [f"$${tex}$$", "", f"{meaning[0].upper() + meaning[1:]}{where}.", ""]
    return "\n".join(lines)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in argv:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} устарел: выполните python -m tools.formula_sheet")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {sum(len(rows) for _, _, rows in SHEET)} формул")
    return 0


if __name__ == "__main__":
    sys.exit(main())
