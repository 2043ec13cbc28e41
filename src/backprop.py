"""Обратное распространение ошибки: полносвязная сеть на numpy, записанная как вывод в курсе.

Обозначения (таблица в README и в ноутбуке 01):
    примеры — столбцы: вход X формы (n_features, n_samples), ответы A формы (n_outputs, n_samples);
    индексы «откуда → куда»: w_ji — вес от нейрона j к нейрону i, в коде W[i, j] = w_ji,
    то есть у матрицы весов одна строка на каждый принимающий нейрон;
    weights[k] форма (layer_sizes[k+1], layer_sizes[k]), biases[k] форма (layer_sizes[k+1], 1).
    Для сети 2-3-1 из ноутбука 01: weights[0] = V (v_sj), weights[1] = W (w_ji).

Функция потерь E усредняется по примерам: E = (1/N) Σ_n ½ Σ_i (Y_in − a_in)².
Поэтому градиенты — средние по примерам, а τ — по одному столбцу на пример.
В литературе вместо τ пишут δ.

Каждый открытый вызов сначала проверяет аргументы и при ошибке говорит по-русски, что ожидалось;
сеть при этом не меняется, входы вызывающего не меняются никогда. Бесконечность или NaN в ответе —
тоже ошибка с объяснением, а не число.
"""
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

try:
    from tqdm.auto import tqdm
except ImportError:  # без tqdm просто нет полосы прогресса
    tqdm = None

MAX_PARAMETERS = 10**8      # больше — это гигабайты памяти: отказ с объяснением, а не MemoryError
MAX_EPOCHS = 10**7          # история E — массив длины epochs


# ---------------------------------------------------------------------------
# Функции активации и функции потерь — маленькие записи: всё об одной функции в одном месте.
# Новая активация или функция потерь — одна запись в ACTIVATIONS или LOSSES; тесты проверяют градиенты
# каждой допустимой пары (tests/test_losses_activations.py берёт пары отсюда же).
# ---------------------------------------------------------------------------

def sigmoid(s):
    """σ(s) = 1 / (1 + e^(−s)), поэлементно, любая форма.

    Формула точна во всей области: σ(−40) ≈ 4.2e-18 с полной относительной точностью, σ(40) = 1.
    При s < −709 e^(−s) = inf (не помещается во float64), и 1 / (1 + inf) = 0 — верный ответ с точностью
    float64, поэтому предупреждение о переполнении здесь отключено.
    """
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(s, dtype=float)))


def _sigmoid(s):
    # σ для слоя сети: та же формула, но в одном массиве (на слое 16×1000 это заметно быстрее) и без
    # np.errstate — forward и fit уже отключили предупреждения о переполнении, а inf и NaN ловят проверки.
    t = np.exp(-s)
    t += 1.0
    return np.divide(1.0, t, out=t)


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
    output_only   — допустима только в выходном слое;
    min_outputs   — сколько нейронов нужно слою как минимум (softmax из одного нейрона всегда даёт 1).
    """
    name: str
    fn: Callable
    derivative: Callable | None
    init: Callable = glorot
    limits: tuple = (-np.inf, np.inf)
    output_only: bool = False
    min_outputs: int = 1


ACTIVATIONS = {a.name: a for a in (
    Activation("sigmoid", _sigmoid, lambda y: y * (1 - y), limits=(0.0, 1.0)),
    Activation("tanh", np.tanh, lambda y: 1 - y * y, limits=(-1.0, 1.0)),
    Activation("relu", relu, lambda y: (y > 0).astype(float), init=he, limits=(0.0, np.inf)),
    Activation("linear", lambda s: s, lambda y: np.ones_like(y)),
    Activation("softmax", softmax, None, limits=(0.0, 1.0), output_only=True, min_outputs=2),
)}


def _mse(S, Y, A, output):
    d = Y - A                                   # E = (1/N) Σ_n ½ Σ_i (Y_in − a_in)²
    return 0.5 * float(np.vdot(d, d)) / Y.shape[1]


def _mse_tau_out(Y, A, output):
    return (Y - A) * output.derivative(Y)       # τ_out_i = (Y_i − a_i) · Y_i (1 − Y_i) для σ


def _cross_entropy(S, Y, A, output):
    # Считаем по взвешенным суммам S = SY, а не по ln Y: при |S| > 37 σ(S) округляется до 0 или 1, а
    # ln 0 = −∞. Для σ: −[a ln σ(S) + (1 − a) ln(1 − σ(S))] = ln(1 + e^S) − a S.
    # Для softmax (Σ_i a_i = 1): −Σ_i a_i ln Y_i = ln Σ_i e^(S_i) − Σ_i a_i S_i.
    if output.name == "softmax":
        top = S.max(axis=0, keepdims=True)
        log_sum = top + np.log(np.exp(S - top).sum(axis=0, keepdims=True))
        return float(np.sum(log_sum) - np.vdot(A, S)) / S.shape[1]
    return float(np.sum(np.logaddexp(0.0, S)) - np.vdot(A, S)) / S.shape[1]


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

    fn(S, Y, A, output)   — скаляр E, среднее по примерам (столбцам); S — взвешенные суммы выходного слоя SY,
                            Y — выход сети, output — запись Activation выходного слоя;
    tau_out(Y, A, output) — τ_out = ∂E/∂SY формы Y (для одного примера, без 1/N);
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
    seed — зерно генератора rng: начальные веса и перемешивание мини-пакетов в fit.
    """

    def __init__(self, layer_sizes, seed=None, activations="sigmoid", loss="mse"):
        sizes = _check_layer_sizes(layer_sizes)
        acts = _check_activations(activations, sizes[1:], loss)
        self.rng = np.random.default_rng(_check_seed(seed))
        # Начальные веса — у каждой активации свои (Activation.init: Глорот для σ и tanh, Хе для ReLU);
        # смещения — нули.
        self.weights = [ACTIVATIONS[a].init(self.rng, n_in, n_out)
                        for n_in, n_out, a in zip(sizes[:-1], sizes[1:], acts)]
        self.biases = [np.zeros((n_out, 1)) for n_out in sizes[1:]]
        self._set_functions(acts, loss)

    @classmethod
    def from_weights(cls, weights, biases=None, activations="sigmoid", loss="mse", seed=None):
        """Сеть из готовых матриц (они копируются). biases=None — сеть без смещений.

        seed — зерно для перемешивания мини-пакетов в fit (None — каждый раз новое).
        """
        weights = _as_list("weights", weights, "список матриц весов, по одной на слой")
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
            biases = _as_list("biases", biases, "список столбцов смещений или None")
            biases = [_as_float_array(f"biases[{k}]", b) for k, b in enumerate(biases)]
            if len(biases) != len(weights):
                raise ValueError(f"biases: ожидается {len(weights)} столбцов смещений, получено {len(biases)}")
            for k, (b, W) in enumerate(zip(biases, weights)):
                if b.shape != (W.shape[0], 1):
                    raise ValueError(f"biases[{k}]: ожидается форма ({W.shape[0]}, 1), получена {b.shape}")
        acts = _check_activations(activations, [W.shape[0] for W in weights], loss)
        net = cls.__new__(cls)
        net.rng = np.random.default_rng(_check_seed(seed))
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

    def copy(self, seed=None):
        """Независимая копия сети: веса копируются.

        seed=None — у копии генератор в том же состоянии, что у оригинала (мини-пакеты перемешаются так
        же); seed=число — новый генератор с этим зерном.
        """
        net = Network.from_weights(self.weights, self.biases, self.activations, self.loss_name, seed=seed)
        if seed is None:
            net.rng.bit_generator.state = self.rng.bit_generator.state
        return net

    def __repr__(self):
        bias = "" if self.biases is not None else ", без смещений"
        return f"Network({self.layer_sizes}, activations={self.activations}, loss={self.loss_name!r}{bias})"

    # ----- прямой проход ------------------------------------------------------------------

    def forward(self, X):
        """Выходы всех слоёв списком: [X, выход слоя 1, ..., Y], каждый формы (n_k, n_samples)."""
        X = self._check_X(X)
        with np.errstate(over="ignore", invalid="ignore"):   # переполнение не прячем: о нём скажет ошибка ниже
            outputs, _ = self._forward(X)
        for k, out in enumerate(outputs[1:], start=1):
            if not np.isfinite(out).all():
                raise ValueError(f"прямой проход: в выходе слоя {k} появились inf или NaN — входы X или веса "
                                 f"слишком велики (наибольший |X| = {np.abs(outputs[0]).max():.3g}); "
                                 f"нормируйте входы или уменьшите веса")
        return outputs

    def _forward(self, X):
        """Прямой проход без проверок: (выходы всех слоёв, взвешенные суммы выходного слоя SY)."""
        outputs = [X]
        for k, (W, act) in enumerate(zip(self.weights, self._acts)):
            s = W @ outputs[-1]                     # взвешенная сумма: SX_j = Σ_s v_sj I_s (+ b^in_j)
            if self.biases is not None:
                s += self.biases[k]
            outputs.append(act.fn(s))               # выход нейрона: X_j = σ(SX_j)
        return outputs, s

    def predict_proba(self, X):
        """Выход сети Y формы (n_outputs, n_samples)."""
        return self.forward(X)[-1]

    def predict(self, X):
        """Метки классов формы (n_samples,): Y > 0.5 для одного выхода (Y = 0.5 — класс 0), иначе номер
        самого вероятного выхода."""
        Y = self.predict_proba(X)
        return (Y[0] > 0.5).astype(int) if Y.shape[0] == 1 else Y.argmax(axis=0)

    # ----- функция потерь -----------------------------------------------------------------------

    def loss(self, X, A, weight_decay=0.0):
        """Скаляр E, который дифференцируют gradients: среднее по примерам (столбцам).

        mse:           E = (1/N) Σ_n ½ Σ_i (Y_in − a_in)²
        cross_entropy: E = −(1/N) Σ_n Σ_i [a_in ln Y_in + (1 − a_in) ln(1 − Y_in)] для σ на выходе,
                       E = −(1/N) Σ_n Σ_i a_in ln Y_in для softmax.
        weight_decay=λ > 0 — с L2-штрафом: E + λ/2 Σ_k ‖weights[k]‖² (смещения не штрафуются); это та
        величина, которую минимизирует fit(..., weight_decay=λ), а её градиент — gradients + l2_gradients.
        """
        X, A = self._check_XA(X, A)
        weight_decay = _check_weight_decay(weight_decay)
        with np.errstate(over="ignore", invalid="ignore"):
            E = self._loss(X, A) + _l2_penalty(self.weights, weight_decay)
        if not np.isfinite(E):
            raise ValueError(f"функция потерь E = {E}: входы X или ответы A слишком велики "
                             f"(наибольшие |X| = {np.abs(X).max():.3g}, |A| = {np.abs(A).max():.3g})")
        return E

    def _loss(self, X, A):
        outputs, S = self._forward(X)
        return self._loss_fn.fn(S, outputs[-1], A, self._acts[-1])

    # ----- обратный проход: τ ----------------------------------------------------------------

    def backward(self, outputs, A):
        """τ всех слоёв по выходам forward(X): список той же длины, что weights.

        taus[k] форма (layer_sizes[k+1], n_samples), по столбцу на пример. Для сети 2-3-1:
        taus = [tau_in, tau_out]. В литературе τ обозначают δ.
        """
        outputs = self._check_outputs(outputs)
        A = self._check_A(A, outputs[0].shape[1])
        return self._backward(outputs, A)

    def _backward(self, outputs, A):
        """Строки вывода, без проверок (их делает backward): τ_out по функции потерь, затем τ_in слой за
        слоем от выхода ко входу."""
        Y = outputs[-1]
        # mse: τ_out_i = (Y_i − a_i) · Y_i (1 − Y_i); перекрёстная энтропия: τ_out_i = Y_i − a_i
        tau_out = self._loss_fn.tau_out(Y, A, self._acts[-1])
        taus = [tau_out]
        for k in range(len(self.weights) - 1, 0, -1):
            # τ_in_j = (Σ_i τ_out_i w_ji) · f'(SX_j), у σ f' = X_j (1 − X_j); сумма по i — это W.T @ tau_out
            tau_in = self.weights[k].T @ taus[0]
            tau_in *= self._acts[k - 1].derivative(outputs[k])
            taus.insert(0, tau_in)
        return taus

    def tau_terms(self, X, A):
        """τ всех слоёв для пакета: tau_in, tau_out = net.tau_terms(X, A) для сети с одним скрытым слоем."""
        X, A = self._check_XA(X, A)
        outputs = self.forward(X)
        with np.errstate(over="ignore", invalid="ignore"):
            return self._finite("τ", self._backward(outputs, A))

    def gradients(self, X, A):
        """(dW, db): ∂E/∂weights[k] и ∂E/∂biases[k] той же формы; db = None у сети без смещений.

        ∂E/∂w_ji = τ_out_i X_j, ∂E/∂v_sj = τ_in_j I_s, усреднённые по примерам: dW = τ @ outputs.T / N.
        """
        X, A = self._check_XA(X, A)
        outputs = self.forward(X)
        n = X.shape[1]
        with np.errstate(over="ignore", invalid="ignore"):      # inf и NaN ловит проверка ниже
            taus = self._backward(outputs, A)
            dW = [tau @ X_prev.T / n for tau, X_prev in zip(taus, outputs)]   # X_prev — входы слоя, X^(k−1)
            db = None if self.biases is None else [tau.sum(axis=1, keepdims=True) / n for tau in taus]
        self._finite("градиенты", dW + (db or []))
        return dW, db

    # ----- обучение --------------------------------------------------------------------------

    def fit(self, X, A, epochs, learning_rate, batch_size=None, progress=True, callback=None,
            optimizer=None, weight_decay=0.0):
        """Градиентный спуск w ← w − η ∂E/∂w; возвращает историю E, массив формы (epochs,).

        batch_size=None — полный пакет: history[t] — функция потерь E на всех примерах перед шагом эпохи t.
        С мини-пакетами (batch_size=m) примеры каждую эпоху перемешиваются генератором сети, а
        history[t] — среднее E по пакетам эпохи t (каждое — перед своим шагом).
        progress — полоса прогресса tqdm (виджет в Jupyter, текст в терминале) и в конце строка
        «обучение: N эпох, E: начало → конец» — её видно и там, где виджеты не показываются.
        callback(net, epoch, loss) вызывается после каждой эпохи (кадры анимации, тестовая ошибка).
        Если E или вес перестаёт быть конечным числом, обучение останавливается с ошибкой ValueError
        (какая эпоха, что попробовать), а сеть остаётся такой, какой была перед шагом, давшим inf или NaN.
        optimizer — как градиент g = ∂E/∂w становится шагом: None или SGD() — градиентный спуск выше,
        Momentum(beta) — с импульсом, Adam(beta1, beta2, eps). Состояние оптимизатора (своё у каждого
        веса) начинается с нуля в каждом вызове fit.
        weight_decay=λ > 0 — L2-регуляризация: минимизируется E + λ/2 Σ_k ‖weights[k]‖² (смещения не
        штрафуются), к градиенту весов прибавляется λ w, а history — эта сумма (net.loss(X, A, weight_decay=λ)).
        """
        X, A = self._check_XA(X, A)
        epochs = _check_int("epochs", epochs, 1, MAX_EPOCHS)
        learning_rate = _check_number("learning_rate", learning_rate, positive=True)
        n = X.shape[1]
        if batch_size is not None:
            batch_size = _check_int("batch_size", batch_size, 1, n, "примеров")
        if not isinstance(progress, (bool, np.bool_)):
            raise TypeError(f"progress: ожидается True или False, получено {progress!r:.60}")
        if callback is not None and not callable(callback):
            raise TypeError(f"callback: ожидается функция callback(net, epoch, loss) или None, "
                            f"получено {callback!r:.60}")
        optimizer = _check_optimizer(optimizer)
        weight_decay = _check_weight_decay(weight_decay)
        # градиентный спуск без штрафа — прежний быстрый шаг _descend; иначе — шаг оптимизатора _optimize
        plain = isinstance(optimizer, SGD) and not weight_decay
        state = None if plain else optimizer.start(self.weights + (self.biases or []))
        history = np.empty(epochs)
        m = n if batch_size is None else batch_size
        epoch_range = range(epochs)
        if progress and tqdm is not None:
            # без скорости и времени: сохранённый ноутбук не меняется от запуска к запуску
            epoch_range = tqdm(epoch_range, desc="обучение", bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} эпох")
        previous = (self.weights, self.biases)
        loss_fn, output = self._loss_fn.fn, self._acts[-1]
        with np.errstate(over="ignore", invalid="ignore"):   # расхождение ловим ниже, по E и весам
            for epoch in epoch_range:
                order = None if batch_size is None else self.rng.permutation(n)
                total = 0.0
                for start in range(0, n, m):
                    Xb, Ab = (X, A) if order is None else (X[:, order[start:start + m]], A[:, order[start:start + m]])
                    # outputs и taus живут до следующего шага: если отдавать эти массивы (~100 КБ) в конце
                    # каждого шага, malloc возвращает память системе и эпоха на 1000 примерах вдвое дольше.
                    outputs, S = self._forward(Xb)
                    E = loss_fn(S, outputs[-1], Ab, output)
                    if weight_decay:
                        E += _l2_penalty(self.weights, weight_decay)
                    if not math.isfinite(E):
                        self.weights, self.biases = previous    # отменяем шаг, после которого E не число
                        _diverged(epoch, E, learning_rate)
                    taus = self._backward(outputs, Ab)
                    previous = (self.weights, self.biases)
                    if plain:
                        self._descend(taus, outputs, learning_rate / Xb.shape[1])
                    else:
                        self._optimize(taus, outputs, optimizer, state, learning_rate, weight_decay)
                    total += E * Xb.shape[1]
                history[epoch] = total / n
                if callback is not None:
                    callback(self, epoch, history[epoch])
        if not all(np.isfinite(P).all() for P in self.weights + (self.biases or [])):
            self.weights, self.biases = previous
            _diverged(epochs - 1, history[-1], learning_rate)
        if progress:
            print(f"обучение: {epochs} эпох, E: {history[0]:.4g} → {history[-1]:.4g}")
        return history

    def _descend(self, taus, outputs, step):
        """Шаг w ← w − η ∂E/∂w по τ пакета; step = η / N, так как ∂E/∂W = τ @ outputs.T / N.

        Новые веса — новые массивы: старые остаются целыми, и fit может вернуть сеть на шаг назад."""
        self.weights = [W - step * (tau @ X_prev.T) for W, tau, X_prev in zip(self.weights, taus, outputs)]
        if self.biases is not None:
            self.biases = [b - step * tau.sum(axis=1, keepdims=True) for b, tau in zip(self.biases, taus)]

    def _optimize(self, taus, outputs, optimizer, state, learning_rate, weight_decay):
        """Шаг оптимизатора по τ пакета: g = ∂E/∂W = τ @ outputs.T / N (+ λ W), ∂E/∂b = средние τ.

        Как и _descend, создаёт новые массивы весов: fit может вернуть сеть на шаг назад."""
        n = outputs[0].shape[1]
        grads = [tau @ X_prev.T / n for tau, X_prev in zip(taus, outputs)]
        if weight_decay:
            grads = [G + weight_decay * W for G, W in zip(grads, self.weights)]   # ∂(λ/2 ‖W‖²)/∂W = λ W
        params = self.weights
        if self.biases is not None:                                             # смещения — без штрафа
            grads += [tau.sum(axis=1, keepdims=True) / n for tau in taus]
            params = params + self.biases
        new = optimizer.update(params, grads, state, learning_rate)
        k = len(self.weights)
        self.weights, self.biases = new[:k], (None if self.biases is None else new[k:])

    # ----- проверка входа ---------------------------------------------------------------------

    def _check_X(self, X):
        return _as_samples("X", X, self.weights[0].shape[1], "признаков (входов сети)")

    def _check_A(self, A, n_samples):
        A = _as_samples("A", A, self.weights[-1].shape[0], "выходов сети")
        if A.shape[1] != n_samples:
            raise ValueError(f"X и A: разное число примеров (столбцов): {n_samples} и {A.shape[1]}")
        if self._loss_fn.check_targets is not None:
            self._loss_fn.check_targets(A, self.activations[-1])
        return A

    def _check_XA(self, X, A):
        X = self._check_X(X)
        return X, self._check_A(A, X.shape[1])

    def _check_outputs(self, outputs):
        sizes = self.layer_sizes
        if not isinstance(outputs, (list, tuple)) or len(outputs) != len(sizes):
            raise TypeError(f"outputs: ожидается список выходов всех слоёв из net.forward(X), {len(sizes)} "
                            f"массивов [X, ..., Y]")
        outputs = [_as_float_array(f"outputs[{k}]", out) for k, out in enumerate(outputs)]
        n = outputs[0].shape[1] if outputs[0].ndim == 2 else None
        for k, (out, size) in enumerate(zip(outputs, sizes)):
            if out.ndim != 2 or out.shape != (size, n):
                raise ValueError(f"outputs[{k}]: ожидается форма ({size}, {n}), как в net.forward(X), "
                                 f"получена {out.shape}")
        return outputs

    @staticmethod
    def _finite(what, arrays):
        if not all(np.isfinite(P).all() for P in arrays):
            raise ValueError(f"{what}: появились inf или NaN — входы X, ответы A или веса слишком велики")
        return arrays


def _diverged(epoch, E, learning_rate):
    raise ValueError(
        f"обучение разошлось на эпохе {epoch + 1}: функция потерь E или вес перестали быть конечными "
        f"числами (E = {E:.4g}). Уменьшите learning_rate (сейчас {learning_rate:g}), например в 10 раз, "
        f"или нормируйте входы и ответы. Сеть оставлена такой, какой была перед шагом, давшим inf или NaN.")


def numerical_gradients(net, X, A, eps=1e-5, weight_decay=0.0):
    """Центральные разности (E(w + ε) − E(w − ε)) / 2ε для каждого веса и смещения.

    Погрешность усечения растёт как ε², погрешность округления — как ε_маш·|E| / ε (ε_маш ≈ 2e-16); ε = 1e-5 держит обе
    малыми и для глубоких сетей с градиентами порядка 1e-5 (проверено в tests/test_backprop.py).
    ε — от 1e-12 до 1.

    Та же структура, что у net.gradients: (dW, db). Сеть не меняется: работаем с копией.
    weight_decay=λ — разности функции с L2-штрафом E + λ/2 Σ_k ‖weights[k]‖², как net.loss(X, A, weight_decay=λ).
    """
    if not isinstance(net, Network):
        raise TypeError(f"net: ожидается сеть Network, получено {type(net).__name__}")
    eps = _check_number("eps", eps, low=1e-12, high=1.0)
    weight_decay = _check_weight_decay(weight_decay)
    probe = net.copy()
    X, A = probe._check_XA(X, A)

    def estimate(params):
        grads = []
        for P in params:
            G = np.zeros_like(P)
            for idx in np.ndindex(P.shape):
                old = P[idx]
                P[idx] = old + eps
                plus = probe._loss(X, A) + _l2_penalty(probe.weights, weight_decay)
                P[idx] = old - eps
                minus = probe._loss(X, A) + _l2_penalty(probe.weights, weight_decay)
                P[idx] = old
                G[idx] = (plus - minus) / (2 * eps)
            grads.append(G)
        return grads

    with np.errstate(over="ignore", invalid="ignore"):    # inf и NaN не прячем: их ловит проверка ниже
        dW = estimate(probe.weights)
        db = None if probe.biases is None else estimate(probe.biases)
    Network._finite("numerical_gradients", dW + (db or []))
    return dW, db


def relative_error(a, b):
    """‖a − b‖ / (‖a‖ + ‖b‖) по всем элементам; 0 — полное совпадение. a и b — числа или массивы одной формы.

    Для верного градиента в float64 ожидается порядка 1e-9 и меньше; 1e-3 и больше — ошибка в формулах.
    """
    a, b = _as_float_array("a", a), _as_float_array("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a и b: ожидаются массивы одной формы, получены {a.shape} и {b.shape}")
    norm_a, norm_b = np.linalg.norm(a), np.linalg.norm(b)
    if not np.isfinite(norm_a + norm_b):
        raise ValueError("a и b: числа слишком велики, норма не помещается во float64")
    denom = norm_a + norm_b
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


# ---------------------------------------------------------------------------
# Оптимизаторы: как градиент g = ∂E/∂w превращается в шаг. Маленькие записи рядом с градиентным спуском:
# start(params) — начальное состояние (у каждого веса своё, сначала нули), update(params, grads, state, η) —
# новые массивы параметров (старые не меняются: fit может вернуть сеть на шаг назад), состояние — на месте.
# Формулы поэлементные, поэтому годятся для массивов любой формы (ноутбук 07 учит так 100 сетей сразу).
# ---------------------------------------------------------------------------

class Optimizer:
    """Общий предок SGD, Momentum и Adam: fit(..., optimizer=...) принимает только их."""

    def start(self, params):
        """Начальное состояние для списка массивов params."""
        return {}

    def update(self, params, grads, state, learning_rate):
        """Новые параметры по градиентам grads (тот же список форм, что params); state меняется на месте."""
        raise NotImplementedError


@dataclass(frozen=True)
class SGD(Optimizer):
    """Градиентный спуск: w ← w − η g. Состояния нет."""

    def update(self, params, grads, state, learning_rate):
        return [P - learning_rate * G for P, G in zip(params, grads)]


@dataclass(frozen=True)
class Momentum(Optimizer):
    """Импульс: v ← β v + g, w ← w − η v; скорость v — своя у каждого веса, сначала 0.

    v — сумма прошлых градиентов с весами 1, β, β², …: в согласованном направлении шаг растёт до
    η / (1 − β), а колебания поперёк гасятся. 0 ≤ β < 1; β = 0 — градиентный спуск.
    """
    beta: float = 0.9

    def __post_init__(self):
        object.__setattr__(self, "beta", _check_decay("beta", self.beta))

    def start(self, params):
        return {"v": [np.zeros_like(P) for P in params]}

    def update(self, params, grads, state, learning_rate):
        new = []
        for P, G, v in zip(params, grads, state["v"]):
            v *= self.beta
            v += G                                             # v ← β v + g
            new.append(P - learning_rate * v)                  # w ← w − η v
        return new


@dataclass(frozen=True)
class Adam(Optimizer):
    """Adam: скользящие средние градиента m и его квадрата s, свои у каждого веса, и шаг t.

    m ← β1 m + (1 − β1) g,  s ← β2 s + (1 − β2) g²,  m̂ = m / (1 − β1^t),  ŝ = s / (1 − β2^t),
    w ← w − η m̂ / (√ŝ + ε). Деление на √ŝ выравнивает шаг: каждый вес сдвигается примерно на η, каким бы
    ни был масштаб его градиента. 0 ≤ β1, β2 < 1; ε > 0.
    """
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def __post_init__(self):
        object.__setattr__(self, "beta1", _check_decay("beta1", self.beta1))
        object.__setattr__(self, "beta2", _check_decay("beta2", self.beta2))
        object.__setattr__(self, "eps", _check_number("eps", self.eps, positive=True))

    def start(self, params):
        return {"m": [np.zeros_like(P) for P in params], "s": [np.zeros_like(P) for P in params], "t": 0}

    def update(self, params, grads, state, learning_rate):
        state["t"] += 1
        t = state["t"]
        new = []
        for P, G, m, s in zip(params, grads, state["m"], state["s"]):
            m *= self.beta1
            m += (1 - self.beta1) * G                          # m ← β1 m + (1 − β1) g
            s *= self.beta2
            s += (1 - self.beta2) * (G * G)                    # s ← β2 s + (1 − β2) g²
            m_hat = m / (1 - self.beta1 ** t)                  # поправка: m и s начинались с нулей
            s_hat = s / (1 - self.beta2 ** t)
            new.append(P - learning_rate * m_hat / (np.sqrt(s_hat) + self.eps))   # w ← w − η m̂ / (√ŝ + ε)
        return new


# ---------------------------------------------------------------------------
# L2-регуляризация: к функции потерь прибавляется λ/2 Σ_k ‖weights[k]‖² (сумма квадратов всех весов,
# смещения не штрафуются), к градиенту весов — λ w.
# ---------------------------------------------------------------------------

def l2_penalty(net, weight_decay):
    """λ/2 Σ_k ‖weights[k]‖² — L2-штраф сети net при weight_decay = λ ≥ 0 (смещения не входят)."""
    net = _check_network(net)
    return _l2_penalty(net.weights, _check_weight_decay(weight_decay))


def l2_gradients(net, weight_decay):
    """Градиент L2-штрафа по весам: [λ weights[k]] той же формы, что weights (по смещениям он 0).

    Полный градиент с L2: dW = net.gradients(X, A)[0], затем dW[k] + l2_gradients(net, λ)[k]."""
    net = _check_network(net)
    weight_decay = _check_weight_decay(weight_decay)
    return [weight_decay * W for W in net.weights]


def _l2_penalty(weights, weight_decay):
    if not weight_decay:
        return 0.0
    return 0.5 * weight_decay * sum(float(np.vdot(W, W)) for W in weights)


# ---------------------------------------------------------------------------
# Проверка аргументов: понятная ошибка до любых изменений состояния.
# ---------------------------------------------------------------------------

def _as_float_array(name, M):
    try:
        raw = np.asarray(M)
    except ValueError:
        raise TypeError(f"{name}: ожидается числовой массив, получен неровный список (строки разной длины): "
                        f"{M!r:.60}") from None
    if raw.dtype.kind not in "biuf":
        what = f"dtype {raw.dtype}"
        if raw.dtype.kind == "O":
            try:
                raw.astype(float)
            except OverflowError:
                what = "числа вне диапазона float64"
            except (TypeError, ValueError):
                pass
        raise TypeError(f"{name}: ожидается числовой массив, получено {what}: {M!r:.60}")
    arr = raw.astype(float)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}: содержит NaN или inf, ожидаются конечные числа")
    return arr


def _as_samples(name, M, rows, what):
    arr = _as_float_array(name, M)
    if arr.ndim != 2:
        hint = "один пример x: x.reshape(-1, 1)" if name == "X" else "ответы одного выхода: a.reshape(1, -1)"
        raise ValueError(
            f"{name}: ожидается двумерный массив формы ({rows}, n_samples), примеры по столбцам; "
            f"получена форма {arr.shape} ({hint})")
    if arr.shape[0] != rows:
        raise ValueError(f"{name}: ожидается {rows} строк ({what}), получено {arr.shape[0]}, форма {arr.shape}")
    if arr.shape[1] == 0:
        raise ValueError(f"{name}: нет ни одного примера (столбца)")
    return arr


def _as_list(name, value, expected):
    """Список, кортеж или одномерный (и больше) массив numpy -> list; иначе понятный TypeError."""
    if isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and value.ndim >= 1):
        return list(value)
    raise TypeError(f"{name}: ожидается {expected}; получено {value!r:.60}")


def _check_int(name, value, low, high=None, unit=""):
    """Целое число (int или целое numpy, не bool) от low до high включительно; возвращает int."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: ожидается целое число, получено {value!r:.60}")
    if value < low or (high is not None and value > high):
        bound = f"от {low} до {high}" if high is not None else f"не меньше {low}"
        raise ValueError(f"{name}: ожидается целое число {bound}{' ' + unit if unit else ''}, получено {value!r:.60}")
    return int(value)


def _check_number(name, value, positive=False, low=None, high=None):
    """Конечное число (int, float или число numpy, не bool); возвращает float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: ожидается число, получено {value!r:.60}")
    try:
        number = float(value)
    except OverflowError:
        number = float("inf")
    if not np.isfinite(number) or (positive and number <= 0) or (low is not None and number < low) \
            or (high is not None and number > high):
        what = "положительное конечное число" if positive else "конечное число"
        if low is not None:
            what = f"число от {low:g} до {high:g}"
        raise ValueError(f"{name}: ожидается {what}, получено {value!r:.60}")
    return number


def _check_seed(seed):
    if seed is not None:
        _check_int("seed", seed, 0)
    return seed


def _check_layer_sizes(layer_sizes):
    sizes = _as_list("layer_sizes", layer_sizes, "список размеров слоёв, например [2, 3, 1]")
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes: ожидается хотя бы два размера (вход и выход), получено {sizes}")
    for n in sizes:
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"layer_sizes: каждый размер — целое число не меньше 1, получено {sizes!r:.80}")
    sizes = [int(n) for n in sizes]
    parameters = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    if parameters > MAX_PARAMETERS:
        raise ValueError(f"layer_sizes: у сети {sizes!r:.80} было бы {parameters:.3g} весов — это "
                         f"{parameters * 8 / 2**30:.3g} ГиБ памяти; ожидается не больше {MAX_PARAMETERS:.0e} весов")
    return sizes


def _check_activations(activations, layer_widths, loss):
    n_layers = len(layer_widths)
    if isinstance(activations, str):
        acts = [activations] * n_layers
    elif isinstance(activations, (list, tuple)):
        acts = list(activations)
    else:
        raise TypeError(f"activations: ожидается имя активации (например 'sigmoid') или список имён, "
                        f"по одному на слой весов; получено {activations!r:.60}")
    if len(acts) != n_layers:
        raise ValueError(f"activations: ожидается {n_layers} имён (по одному на слой весов), получено {len(acts)}")
    for a in acts:
        if not isinstance(a, str) or a not in ACTIVATIONS:
            raise ValueError(f"activations: неизвестная активация {a!r}, ожидается одна из {list(ACTIVATIONS)}")
    for a in acts[:-1]:
        if ACTIVATIONS[a].output_only:
            raise ValueError(f"activations: {a} допустим только в выходном слое")
    for a, width in zip(acts, layer_widths):
        if width < ACTIVATIONS[a].min_outputs:
            raise ValueError(f"activations: слою {a} нужно не меньше {ACTIVATIONS[a].min_outputs} нейронов, "
                             f"у этого {width} (для двух классов — один выход 'sigmoid')")
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ValueError(f"loss: ожидается одно из {list(LOSSES)}, получено {loss!r}")
    if acts[-1] not in LOSSES[loss].outputs:
        raise ValueError(f"loss={loss!r}: выходной слой должен быть одним из {list(LOSSES[loss].outputs)}, "
                         f"получено {acts[-1]!r}")
    return acts


def _check_decay(name, value):
    """Коэффициент забывания β: число от 0 включительно до 1 не включая; возвращает float."""
    number = _check_number(name, value)
    if not 0.0 <= number < 1.0:
        raise ValueError(f"{name}: ожидается число от 0 (включительно) до 1 (не включая), например 0.9; "
                         f"получено {value!r:.60}")
    return number


def _check_weight_decay(weight_decay):
    """λ L2-регуляризации: конечное число ≥ 0; возвращает float."""
    number = _check_number("weight_decay", weight_decay)
    if number < 0:
        raise ValueError(f"weight_decay: ожидается число λ ≥ 0 (0 — без регуляризации, обычно 1e-4…1e-2), "
                         f"получено {weight_decay!r:.60}")
    return number


def _check_optimizer(optimizer):
    """None -> SGD(); запись оптимизатора — как есть; иначе понятный TypeError."""
    if optimizer is None:
        return SGD()
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        raise TypeError(f"optimizer: ожидается запись оптимизатора, а не класс: bp.{optimizer.__name__}(), "
                        f"а не bp.{optimizer.__name__}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer: ожидается bp.SGD(), bp.Momentum(beta=0.9), bp.Adam() или None; "
                        f"получено {optimizer!r:.60}")
    return optimizer


def _check_network(net):
    if not isinstance(net, Network):
        raise TypeError(f"net: ожидается сеть Network, получено {type(net).__name__}")
    return net
