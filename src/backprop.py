"""Обратное распространение ошибки: полносвязная сеть на numpy, записанная как вывод в курсе.

Обозначения (таблица в README и в ноутбуке 01):
    примеры — столбцы: вход X формы (n_features, n_samples), ответы A формы (n_outputs, n_samples);
    индексы «откуда → куда»: w_ji — вес от нейрона j к нейрону i, в коде W[i, j] = w_ji,
    то есть у матрицы весов одна строка на каждый принимающий нейрон;
    weights[k] форма (layer_sizes[k+1], layer_sizes[k]), biases[k] форма (layer_sizes[k+1], 1).
    Для сети 2-3-1 из ноутбука 01: weights[0] = V (v_sj), weights[1] = W (w_ji).

Ошибка E усредняется по примерам: E = (1/N) Σ_n ½ Σ_i (Y_in − a_in)².
Поэтому градиенты — средние по примерам, а τ — по одному столбцу на пример.
В литературе вместо τ пишут δ.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

try:
    from tqdm.auto import tqdm
except ImportError:  # без tqdm просто нет полосы прогресса
    tqdm = None


# ---------------------------------------------------------------------------
# Функции активации и функции потерь — маленькие записи: всё об одной функции в одном месте.
# Новая активация или функция потерь — одна запись в ACTIVATIONS или LOSSES; тесты проверяют градиенты
# каждой допустимой пары (tests/test_losses_activations.py берёт пары отсюда же).
# ---------------------------------------------------------------------------

def sigmoid(s):
    """σ(s) = 1 / (1 + e^(−s)), поэлементно, любая форма.

    Считаем по тождеству σ(s) = ½ (1 + th(s/2)): th не переполняется, поэтому σ(−1000) = 0 и
    σ(1000) = 1 ровно и без предупреждений, а на больших массивах это так же быстро, как e^(−s).
    """
    return 0.5 * (1.0 + np.tanh(0.5 * s))


def relu(s):
    """ReLU(s) = max(0, s), поэлементно."""
    return np.maximum(s, 0.0)


def softmax(s):
    """Softmax по столбцам: s формы (n_outputs, n_samples), каждый столбец выхода в сумме 1."""
    e = np.exp(s - s.max(axis=0, keepdims=True))  # сдвиг не меняет ответ, но спасает от переполнения
    return e / e.sum(axis=0, keepdims=True)


def glorot(rng, n_in, n_out):
    """Инициализация Глорота (Xavier): w ~ U(−r, r), r = √(6 / (n_in + n_out)); матрица (n_out, n_in).

    Сигнал не гаснет и не насыщает σ и tanh в начале обучения."""
    r = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-r, r, size=(n_out, n_in))


def he(rng, n_in, n_out):
    """Инициализация Хе для ReLU: w ~ N(0, 2 / n_in); матрица (n_out, n_in)."""
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in))


@dataclass(frozen=True)
class Activation:
    """Функция активации слоя.

    fn(s)         — выход y = f(s), поэлементно (softmax — по столбцам);
    derivative(y) — f'(s), выраженная через выход y = f(s), как в выводе: σ'(SY_i) = Y_i (1 − Y_i).
                    Так обратному проходу хватает выходов слоёв. None — у softmax: его производная
                    сокращается только в паре с перекрёстной энтропией;
    init          — начальные веса слоя: init(rng, n_in, n_out) -> матрица (n_out, n_in);
    limits        — область значений (нижняя, верхняя граница) — для шкал рисунков;
    output_only   — допустима только в выходном слое.
    """
    name: str
    fn: Callable
    derivative: Callable | None
    init: Callable = glorot
    limits: tuple = (-np.inf, np.inf)
    output_only: bool = False


ACTIVATIONS = {a.name: a for a in (
    Activation("sigmoid", sigmoid, lambda y: y * (1 - y), limits=(0.0, 1.0)),
    Activation("tanh", np.tanh, lambda y: 1 - y * y, limits=(-1.0, 1.0)),
    Activation("relu", relu, lambda y: (y > 0).astype(float), init=he, limits=(0.0, np.inf)),
    Activation("linear", lambda s: s, lambda y: np.ones_like(y)),
    Activation("softmax", softmax, None, limits=(0.0, 1.0), output_only=True),
)}


def _mse(Y, A, output):
    d = Y - A                                   # E = (1/N) Σ_n ½ Σ_i (Y_in − a_in)²
    return 0.5 * float(np.vdot(d, d)) / Y.shape[1]


def _mse_tau_out(Y, A, output):
    return (Y - A) * output.derivative(Y)       # τ_out_i = (Y_i − a_i) · Y_i (1 − Y_i) для σ


def _cross_entropy(Y, A, output):
    tiny = np.finfo(float).tiny                 # ln 0 = −inf: насыщенный выход ограничиваем снизу
    if output.name == "softmax":                # E = −(1/N) Σ_n Σ_i a_in ln Y_in
        return -float(np.sum(A * np.log(np.maximum(Y, tiny)))) / Y.shape[1]
    return -float(np.sum(A * np.log(np.maximum(Y, tiny))
                         + (1 - A) * np.log(np.maximum(1 - Y, tiny)))) / Y.shape[1]


def _cross_entropy_tau_out(Y, A, output):
    return Y - A                                # σ' (или softmax') сокращается: τ_out_i = Y_i − a_i


def _targets_in_unit_interval(A, output):
    if A.min() < 0 or A.max() > 1:
        raise ValueError("A: для перекрёстной энтропии ответы должны лежать в [0, 1]")
    if output == "softmax" and not np.allclose(A.sum(axis=0), 1.0):
        # τ_out = Y − A верно для softmax, только если Σ_i a_i = 1 в каждом примере
        raise ValueError("A: для softmax каждый столбец ответов — распределение по классам, "
                         "сумма столбца должна быть 1 (например, one-hot)")


@dataclass(frozen=True)
class Loss:
    """Функция потерь E.

    fn(Y, A, output)      — скаляр E, среднее по примерам (столбцам); output — запись Activation выхода;
    tau_out(Y, A, output) — τ_out = ∂E/∂SY формы Y; output — запись Activation выходного слоя;
    outputs               — имена активаций выходного слоя, с которыми верна формула tau_out;
    check_targets(A, output_name) — поднимает ValueError, если ответы A не годятся (или None).
    """
    name: str
    fn: Callable
    tau_out: Callable
    outputs: tuple
    check_targets: Callable | None = None


LOSSES = {loss.name: loss for loss in (
    Loss("mse", _mse, _mse_tau_out, outputs=("sigmoid", "tanh", "relu", "linear")),
    Loss("cross_entropy", _cross_entropy, _cross_entropy_tau_out, outputs=("sigmoid", "softmax"),
         check_targets=_targets_in_unit_interval),
)}


class Network:
    """Полносвязная сеть, обучаемая обратным распространением ошибки.

    weights — список матриц: weights[k] форма (layer_sizes[k+1], layer_sizes[k]), W[i, j] = w_ji.
    biases  — список столбцов формы (layer_sizes[k+1], 1) или None (сеть без смещений, как в исходном
              ноутбуке).
    activations — имя активации для всех слоёв или список имён, по одному на слой весов.
    loss — "mse" (E = ½ Σ (Y − a)², среднее по примерам) или "cross_entropy".
    """

    def __init__(self, layer_sizes, seed=None, activations="sigmoid", loss="mse"):
        sizes = _check_layer_sizes(layer_sizes)
        acts = _check_activations(activations, len(sizes) - 1, loss)
        self.rng = np.random.default_rng(seed)
        # Начальные веса — у каждой активации свои (Activation.init: Глорот для σ и tanh, Хе для ReLU);
        # смещения — нули.
        self.weights = [ACTIVATIONS[a].init(self.rng, n_in, n_out)
                        for n_in, n_out, a in zip(sizes[:-1], sizes[1:], acts)]
        self.biases = [np.zeros((n_out, 1)) for n_out in sizes[1:]]
        self._set_functions(acts, loss)

    @classmethod
    def from_weights(cls, weights, biases=None, activations="sigmoid", loss="mse"):
        """Сеть из готовых матриц (они копируются). biases=None — сеть без смещений."""
        weights = [_as_float_array(f"weights[{k}]", W) for k, W in enumerate(weights)]
        if not weights:
            raise ValueError("weights: нужна хотя бы одна матрица весов")
        for k, W in enumerate(weights):
            if W.ndim != 2 or W.size == 0:
                raise ValueError(f"weights[{k}]: ожидается непустая матрица (n_out, n_in), форма {W.shape}")
            if k and W.shape[1] != weights[k - 1].shape[0]:
                raise ValueError(
                    f"weights[{k}] форма {W.shape} не стыкуется с weights[{k - 1}] форма "
                    f"{weights[k - 1].shape}: ожидается {weights[k - 1].shape[0]} столбцов")
        if biases is not None:
            biases = [_as_float_array(f"biases[{k}]", b) for k, b in enumerate(biases)]
            if len(biases) != len(weights):
                raise ValueError(f"biases: ожидается {len(weights)} столбцов смещений, получено {len(biases)}")
            for k, (b, W) in enumerate(zip(biases, weights)):
                if b.shape != (W.shape[0], 1):
                    raise ValueError(f"biases[{k}]: ожидается форма ({W.shape[0]}, 1), получена {b.shape}")
        acts = _check_activations(activations, len(weights), loss)
        net = cls.__new__(cls)
        net.rng = np.random.default_rng()
        net.weights = [W.copy() for W in weights]
        net.biases = None if biases is None else [b.copy() for b in biases]
        net._set_functions(acts, loss)
        return net

    def _set_functions(self, acts, loss):
        self.activations, self.loss_name = list(acts), loss
        self._acts = [ACTIVATIONS[a] for a in acts]     # записи Activation, по одной на слой весов
        self._loss_fn = LOSSES[loss]

    @property
    def layer_sizes(self):
        return [self.weights[0].shape[1]] + [W.shape[0] for W in self.weights]

    def copy(self):
        """Независимая копия сети (веса копируются)."""
        return Network.from_weights(self.weights, self.biases, self.activations, self.loss_name)

    def __repr__(self):
        bias = "" if self.biases is not None else ", без смещений"
        return f"Network({self.layer_sizes}, activations={self.activations}, loss={self.loss_name!r}{bias})"

    # ----- прямой проход ------------------------------------------------------------------

    def forward(self, X):
        """Выходы всех слоёв списком: [X, выход слоя 1, ..., Y], каждый формы (n_k, n_samples)."""
        return self._forward(self._check_X(X))

    def _forward(self, X):
        outputs = [X]
        for k, (W, act) in enumerate(zip(self.weights, self._acts)):
            s = W @ outputs[-1]                     # взвешенная сумма: SX_j = Σ_s v_sj I_s (+ b^in_j)
            if self.biases is not None:
                s = s + self.biases[k]
            outputs.append(act.fn(s))               # выход нейрона: X_j = σ(SX_j)
        return outputs

    def predict_proba(self, X):
        """Выход сети Y формы (n_outputs, n_samples)."""
        return self.forward(X)[-1]

    def predict(self, X):
        """Метки классов формы (n_samples,): Y > 0.5 для одного выхода, иначе номер самого вероятного."""
        Y = self.predict_proba(X)
        return (Y[0] > 0.5).astype(int) if Y.shape[0] == 1 else Y.argmax(axis=0)

    # ----- ошибка ---------------------------------------------------------------------------

    def loss(self, X, A):
        """Скаляр E, который дифференцируют gradients: среднее по примерам (столбцам).

        mse:           E = (1/N) Σ_n ½ Σ_i (Y_in − a_in)²
        cross_entropy: E = −(1/N) Σ_n Σ_i [a_in ln Y_in + (1 − a_in) ln(1 − Y_in)] для σ на выходе,
                       E = −(1/N) Σ_n Σ_i a_in ln Y_in для softmax.
        """
        X, A = self._check_XA(X, A)
        return self._loss(self._forward(X)[-1], A)

    def _loss(self, Y, A):
        return self._loss_fn.fn(Y, A, self._acts[-1])

    # ----- обратный проход: τ ----------------------------------------------------------------

    def backward(self, outputs, A):
        """τ всех слоёв по выходам forward(X): список той же длины, что weights.

        taus[k] форма (layer_sizes[k+1], n_samples), по столбцу на пример. Для сети 2-3-1:
        taus = [tau_in, tau_out]. В литературе τ обозначают δ.
        """
        Y = outputs[-1]
        # mse: τ_out_i = (Y_i − a_i) · Y_i (1 − Y_i); перекрёстная энтропия: τ_out_i = Y_i − a_i
        tau_out = self._loss_fn.tau_out(Y, A, self._acts[-1])
        taus = [tau_out]
        for k in range(len(self.weights) - 1, 0, -1):
            # τ_in_j = (Σ_i τ_out_i w_ji) · X_j (1 − X_j); сумма по i — это W.T @ tau_out
            tau_in = (self.weights[k].T @ taus[0]) * self._acts[k - 1].derivative(outputs[k])
            taus.insert(0, tau_in)
        return taus

    def tau_terms(self, X, A):
        """τ всех слоёв для пакета: tau_in, tau_out = net.tau_terms(X, A) для сети с одним скрытым слоем."""
        X, A = self._check_XA(X, A)
        return self.backward(self._forward(X), A)

    def gradients(self, X, A):
        """(dW, db): ∂E/∂weights[k] и ∂E/∂biases[k] той же формы; db = None у сети без смещений.

        ∂E/∂w_ji = τ_out_i X_j, ∂E/∂v_sj = τ_in_j I_s, усреднённые по примерам: dW = τ @ outputs.T / N.
        """
        X, A = self._check_XA(X, A)
        outputs = self._forward(X)
        taus = self.backward(outputs, A)
        n = X.shape[1]
        dW = [tau @ a.T / n for tau, a in zip(taus, outputs)]
        db = None if self.biases is None else [tau.sum(axis=1, keepdims=True) / n for tau in taus]
        return dW, db

    # ----- обучение --------------------------------------------------------------------------

    def fit(self, X, A, epochs, learning_rate, batch_size=None, progress=True, callback=None):
        """Градиентный спуск w ← w − η ∂E/∂w; возвращает историю E, массив формы (epochs,).

        batch_size=None — полный пакет: history[t] — ошибка E на всех примерах перед шагом эпохи t.
        С мини-пакетами (batch_size=m) примеры каждую эпоху перемешиваются генератором сети, а
        history[t] — среднее E по пакетам эпохи t (каждое — перед своим шагом).
        progress — полоса прогресса tqdm (виджет в Jupyter, текст в терминале) и в конце строка
        «обучение: N эпох, E: начало → конец» — её видно и там, где виджеты не показываются.
        callback(net, epoch, loss) вызывается после каждой эпохи (кадры анимации, тестовая ошибка).
        """
        X, A = self._check_XA(X, A)
        epochs = _check_positive("epochs", epochs, integer=True)
        learning_rate = _check_positive("learning_rate", learning_rate)
        n = X.shape[1]
        if batch_size is not None:
            batch_size = _check_positive("batch_size", batch_size, integer=True)
            if batch_size > n:
                raise ValueError(f"batch_size: ожидается число от 1 до {n} (примеров), получено {batch_size}")
        history = np.empty(epochs)
        m = n if batch_size is None else batch_size
        epoch_range = range(epochs)
        if progress and tqdm is not None:
            # без скорости и времени: сохранённый ноутбук не меняется от запуска к запуску
            epoch_range = tqdm(epoch_range, desc="обучение", bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} эпох")
        for epoch in epoch_range:
            order = None if batch_size is None else self.rng.permutation(n)
            total = 0.0
            for start in range(0, n, m):
                Xb, Ab = (X, A) if order is None else (X[:, order[start:start + m]], A[:, order[start:start + m]])
                # outputs и taus живут до следующего шага: если отдавать эти массивы (~100 КБ) в конце
                # каждого шага, malloc возвращает память системе и эпоха на 1000 примерах вдвое дольше.
                outputs = self._forward(Xb)
                total += self._loss(outputs[-1], Ab) * Xb.shape[1]
                taus = self.backward(outputs, Ab)
                self._descend(taus, outputs, learning_rate / Xb.shape[1])
            history[epoch] = total / n
            if callback is not None:
                callback(self, epoch, history[epoch])
        if progress:
            print(f"обучение: {epochs} эпох, E: {history[0]:.4g} → {history[-1]:.4g}")
        return history

    def _descend(self, taus, outputs, step):
        """Шаг w ← w − η ∂E/∂w по τ пакета; step = η / N, так как ∂E/∂W = τ @ outputs.T / N."""
        for k, (tau, a) in enumerate(zip(taus, outputs)):
            self.weights[k] -= step * (tau @ a.T)
            if self.biases is not None:
                self.biases[k] -= step * tau.sum(axis=1, keepdims=True)

    # ----- проверка входа ---------------------------------------------------------------------

    def _check_X(self, X):
        return _as_samples("X", X, self.weights[0].shape[1], "признаков (входов сети)")

    def _check_XA(self, X, A):
        X = self._check_X(X)
        A = _as_samples("A", A, self.weights[-1].shape[0], "выходов сети")
        if X.shape[1] != A.shape[1]:
            raise ValueError(f"X и A: разное число примеров (столбцов): {X.shape[1]} и {A.shape[1]}")
        if self._loss_fn.check_targets is not None:
            self._loss_fn.check_targets(A, self.activations[-1])
        return X, A


def numerical_gradients(net, X, A, eps=1e-5):
    """Центральные разности (E(w + ε) − E(w − ε)) / 2ε для каждого веса и смещения.

    Ошибка усечения растёт как ε², ошибка округления — как 1e-16 / ε; ε = 1e-5 держит обе малыми
    и для глубоких сетей с градиентами порядка 1e-5 (проверено в tests/test_backprop.py).

    Та же структура, что у net.gradients: (dW, db). Сеть не меняется: работаем с копией.
    """
    probe = net.copy()
    X, A = probe._check_XA(X, A)

    def estimate(params):
        grads = []
        for P in params:
            G = np.zeros_like(P)
            for idx in np.ndindex(P.shape):
                old = P[idx]
                P[idx] = old + eps
                plus = probe._loss(probe._forward(X)[-1], A)
                P[idx] = old - eps
                minus = probe._loss(probe._forward(X)[-1], A)
                P[idx] = old
                G[idx] = (plus - minus) / (2 * eps)
            grads.append(G)
        return grads

    dW = estimate(probe.weights)
    db = None if probe.biases is None else estimate(probe.biases)
    return dW, db


def relative_error(a, b):
    """‖a − b‖ / (‖a‖ + ‖b‖) по всем элементам; 0 — полное совпадение.

    Для верного градиента в float64 ожидается порядка 1e-9 и меньше; 1e-3 и больше — ошибка в формулах.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


# ---------------------------------------------------------------------------
# Проверка аргументов: понятная ошибка до любых изменений состояния.
# ---------------------------------------------------------------------------

def _as_float_array(name, M):
    arr = np.asarray(M)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: ожидается числовой массив, получен dtype {arr.dtype}")
    arr = arr.astype(float)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}: содержит NaN или inf, ожидаются конечные числа")
    return arr


def _as_samples(name, M, rows, what):
    arr = _as_float_array(name, M)
    if arr.ndim != 2:
        raise ValueError(
            f"{name}: ожидается двумерный массив формы ({rows}, n_samples), примеры по столбцам; "
            f"получена форма {arr.shape} (один пример x: x.reshape(-1, 1))")
    if arr.shape[0] != rows:
        raise ValueError(f"{name}: ожидается {rows} строк ({what}), получено {arr.shape[0]}, форма {arr.shape}")
    if arr.shape[1] == 0:
        raise ValueError(f"{name}: нет ни одного примера (столбца)")
    return arr


def _check_layer_sizes(layer_sizes):
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes: ожидается хотя бы два размера (вход и выход), получено {sizes}")
    for n in sizes:
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"layer_sizes: каждый размер — целое число не меньше 1, получено {sizes}")
    return [int(n) for n in sizes]


def _check_activations(activations, n_layers, loss):
    acts = [activations] * n_layers if isinstance(activations, str) else list(activations)
    if len(acts) != n_layers:
        raise ValueError(f"activations: ожидается {n_layers} имён (по одному на слой весов), получено {len(acts)}")
    for a in acts:
        if a not in ACTIVATIONS:
            raise ValueError(f"activations: неизвестная активация {a!r}, ожидается одна из {list(ACTIVATIONS)}")
    for a in acts[:-1]:
        if ACTIVATIONS[a].output_only:
            raise ValueError(f"activations: {a} допустим только в выходном слое")
    if loss not in LOSSES:
        raise ValueError(f"loss: ожидается одно из {list(LOSSES)}, получено {loss!r}")
    if acts[-1] not in LOSSES[loss].outputs:
        raise ValueError(f"loss={loss!r}: выходной слой должен быть одним из {list(LOSSES[loss].outputs)}, "
                         f"получено {acts[-1]!r}")
    return acts


def _check_positive(name, value, integer=False):
    kinds = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, kinds) or not np.isfinite(value) \
            or value <= 0:
        what = "целое положительное число" if integer else "положительное число"
        raise ValueError(f"{name}: ожидается {what}, получено {value!r}")
    return value
