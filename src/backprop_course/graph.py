"""Вычислительный граф из чисел: обратный проход по графу — это τ из вывода (ноутбук 06).

    x = Value(2.0, "x"); y = Value(-3.0, "y")
    f = (x * y + x).tanh()
    f.backward()                  # x.grad = ∂f/∂x, y.grad = ∂f/∂y

Каждая операция создаёт узел Value: рядом с результатом прямого прохода (data) записана его локальная
производная — функция _backward, которая добавляет вклад узла в градиенты его входов (parents).
backward() обходит узлы в обратном топологическом порядке: к узлу все вклады уже пришли, когда он
передаёт свой градиент дальше. Устройство — как у micrograd А. Карпатого, код свой.

network_graph(net, X, A) строит из узлов прямой проход и функцию потерь E сети backprop.Network: градиенты
графа совпадают с net.gradients, градиент узла SY_i — с τ_out_i, узла SX_j — с τ_in_j (делённым на N).
"""
import math
import numbers
from dataclasses import dataclass

import numpy as np

from . import checks

_counters = []      # открытые OperationCounter: считают операции прямого и обратного прохода


class Value:
    """Узел графа: число data, градиент grad = ∂(корень)/∂(узел), входы parents, операция op, подпись label.

    Лист (parents пуст) — вес, вход или константа; его grad копится между вызовами backward (как в
    PyTorch), обнуляет zero_grad(). label — подпись на рисунке, формула mathtext без $: "SX_{1}".
    """

    def __init__(self, data, label="", parents=(), op=""):
        if isinstance(data, (bool, np.bool_)) or not isinstance(data, numbers.Real) or not math.isfinite(data):
            raise TypeError(f"data: ожидается конечное число, получено {data!r:.60}")
        if not isinstance(label, str):
            raise TypeError(f"label: ожидается строка, получено {type(label).__name__}")
        self.data, self.grad, self.label = float(data), 0.0, label
        self.parents, self.op = tuple(parents), op
        self._backward = lambda: None           # у листа нет входов: передавать градиент некому
        for counter in _counters:
            counter.forward += bool(parents)

    def __repr__(self):
        name = f"{self.label}, " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # ----- операции: результат прямого прохода и рядом его локальная производная ---------------

    def __add__(self, other):
        other = _as_value(other)
        out = Value(self.data + other.data, parents=(self, other), op="+")

        def _backward():                        # ∂(a + b)/∂a = ∂(a + b)/∂b = 1: сложение раздаёт градиент
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = _as_value(other)
        out = Value(self.data * other.data, parents=(self, other), op="×")

        def _backward():                        # ∂(ab)/∂a = b, ∂(ab)/∂b = a: умножение меняет входы местами
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, k):
        k = checks.number("k", k, what="показатель степени — число, не узел")
        if self.data == 0 and k < 1 or self.data < 0 and not k.is_integer():
            raise ValueError(f"степень: {self.data:g} ** {k:g} не определена или её производная бесконечна")
        out = Value(self.data ** k, parents=(self,), op=f"^{k:g}")

        def _backward():                        # (x^k)' = k x^(k − 1)
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        if self.data > 709:
            raise ValueError(f"exp: e^{self.data:g} не помещается во float64 (показатель больше 709)")
        out = Value(math.exp(self.data), parents=(self,), op="exp")

        def _backward():                        # (e^x)' = e^x — это выход узла
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def log(self):
        if self.data <= 0:
            raise ValueError(f"ln: ожидается положительное число, получено {self.data:g}")
        out = Value(math.log(self.data), parents=(self,), op="ln")

        def _backward():                        # (ln x)' = 1 / x
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def tanh(self):
        out = Value(math.tanh(self.data), parents=(self,), op="tanh")

        def _backward():                        # tanh'(x) = 1 − tanh²(x), через выход узла
            self.grad += (1 - out.data ** 2) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        out = Value(float(_sigmoid(self.data)), parents=(self,), op="σ")

        def _backward():                        # σ'(S) = σ(S)(1 − σ(S)), как Y_i (1 − Y_i) в выводе
            self.grad += out.data * (1 - out.data) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), parents=(self,), op="ReLU")

        def _backward():                        # ReLU'(x) = 1 при x > 0, иначе 0 (в нуле — 0, как в модуле)
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out

    def max(self, other):
        other = _as_value(other)
        out = Value(max(self.data, other.data), parents=(self, other), op="max")

        def _backward():                        # max направляет градиент большему входу (при равенстве — первому)
            winner = self if self.data >= other.data else other
            winner.grad += out.grad
        out._backward = _backward
        return out

    # ----- обратный проход -----------------------------------------------------------------------

    def backward(self):
        """Градиенты ∂(этот узел)/∂(узел) во всех узлах графа, от корня к листьям."""
        order = self.topological_order()
        for node in order:
            # Ловушка micrograd (PR #102): без этого обнуления второй backward() прибавил бы старые градиенты
            # промежуточных узлов к новым и передал бы листьям лишнее. Листья копят градиент, как в PyTorch.
            if node.parents:
                node.grad = 0.0
        self.grad += 1.0                        # ∂корень/∂корень = 1 (промежуточный корень только что обнулён)
        for node in reversed(order):            # узел отдаёт градиент, когда все его потребители уже отдали свой
            node._backward()
            for counter in _counters:
                counter.backward += len(node.parents)

    def topological_order(self):
        """Узлы графа списком: каждый узел после всех своих входов, корень последним."""
        order, seen, stack = [], set(), [(self, False)]
        while stack:                            # обход в глубину без рекурсии: граф сети — десятки тысяч узлов
            node, done = stack.pop()
            if done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((parent, False) for parent in reversed(node.parents))
        return order

    def zero_grad(self):
        """Обнулить градиенты всех узлов графа, листьев тоже."""
        for node in self.topological_order():
            node.grad = 0.0

    # ----- то же через уже определённые операции -----------------------------------------------

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        other = _as_value(other)
        out = Value(self.data - other.data, parents=(self, other), op="−")

        def _backward():                        # ∂(a − b)/∂a = 1, ∂(a − b)/∂b = −1
            self.grad += out.grad
            other.grad -= out.grad
        out._backward = _backward
        return out

    def __truediv__(self, other):
        return self * _as_value(other) ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return _as_value(other) - self

    def __rtruediv__(self, other):
        return _as_value(other) / self


def _as_value(x):
    """Узел или число (оно становится листом-константой)."""
    if isinstance(x, Value):
        return x
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"операнд: ожидается Value или число, получено {type(x).__name__}")
    return Value(x, label=f"{float(x):g}", op="const")    # op "const": на рисунке без градиента


def _sigmoid(s):
    return 1.0 / (1.0 + math.exp(min(-s, 709.0)))      # как bp.sigmoid: без переполнения e^(−s)


class OperationCounter:
    """Счётчик операций: with OperationCounter() as count: ...; count.forward — узлов-операций создано,
    count.backward — вкладов в градиенты входов (по одному на вход каждого узла) в backward()."""

    def __init__(self):
        self.forward = self.backward = 0

    def __enter__(self):
        _counters.append(self)
        return self

    def __exit__(self, *exc):
        _counters.remove(self)
        return False


# ---------------------------------------------------------------------------
# Сеть backprop.Network из узлов: прямой проход и функция потерь E поэлементно, по примерам.
# ---------------------------------------------------------------------------

@dataclass
class NetworkGraph:
    """Граф сети. weights[k][i][j] — узел w_ji слоя k (как W[i, j]); biases[k][i] или None;
    inputs[s][n] — входы I_s примера n; sums[k][i][n] — взвешенные суммы (SX_j, SY_i);
    outputs[k][i][n] — выходы слоя k + 1 (X_j, Y_i); loss — корень E (среднее по N примерам)."""
    weights: list
    biases: list | None
    inputs: list
    sums: list
    outputs: list
    loss: Value

    def gradients(self):
        """(dW, db) из градиентов листьев — той же формы, что net.gradients(X, A). Сначала loss.backward()."""
        dW = [np.array([[w.grad for w in row] for row in layer]) for layer in self.weights]
        db = None if self.biases is None else [np.array([[b.grad] for b in layer]) for layer in self.biases]
        return dW, db

    def sum_gradients(self):
        """Градиенты узлов взвешенных сумм: массивы (n_k, N) по слоям; умноженные на N — это τ слоёв."""
        return [np.array([[s.grad for s in row] for row in layer]) for layer in self.sums]


def network_graph(net, X, A):
    """Построить граф прямого прохода и функции потерь E сети net на примерах X (n_in, N), ответах A (n_out, N).

    Подписи узлов — обозначения курса: I_s, v_sj, w_ji, b^in_j, b^out_i, SX_j, X_j, SY_i, Y_i, E
    (для сети с одним скрытым слоем; у более глубоких сетей — с номером слоя). Градиенты — после
    graph.loss.backward(); граф большой: на пример по два узла на каждый вес.
    """
    net = checks.network("net", net)
    net.loss(X, A)                              # проверка X, A (формы, числа, ответы для функции потерь)
    X, A = np.asarray(X, dtype=float), np.asarray(A, dtype=float)
    n_layers, n = len(net.weights), X.shape[1]
    names = _layer_names(n_layers)
    weights = [[[Value(W[i, j], f"{names[k][0]}_{{{j + 1}{i + 1}}}") for j in range(W.shape[1])]
                for i in range(W.shape[0])] for k, W in enumerate(net.weights)]
    biases = None if net.biases is None else [
        [Value(b[i, 0], f"b^{{{names[k][1]}}}_{{{i + 1}}}") for i in range(b.shape[0])]
        for k, b in enumerate(net.biases)]
    inputs = [[Value(X[s, m], f"I_{{{s + 1}}}") for m in range(n)] for s in range(X.shape[0])]
    sums, outputs, layer_in = [], [], inputs
    for k, activation in enumerate(net.activations):
        S = [[_weighted_sum(weights[k][i], None if biases is None else biases[k][i], [x[m] for x in layer_in])
              for m in range(n)] for i in range(len(weights[k]))]
        for i, row in enumerate(S):
            for node in row:
                node.label = f"{names[k][2]}_{{{i + 1}}}"
        sums.append(S)
        layer_in = _activate(S, activation)
        for i, row in enumerate(layer_in):
            for node in row:
                node.label = f"{names[k][3]}_{{{i + 1}}}"
        outputs.append(layer_in)
    loss = _loss(net.loss_name, net.activations[-1], sums[-1], layer_in, A) * (1.0 / n)
    loss.label = "E"
    return NetworkGraph(weights, biases, inputs, sums, outputs, loss)


def _layer_names(n_layers):
    """(вес, отметка смещения, сумма, выход) для каждого слоя весов."""
    if n_layers == 2:
        return [("v", r"\mathrm{in}", "SX", "X"), ("w", r"\mathrm{out}", "SY", "Y")]
    return [("w^{(%d)}" % (k + 1), str(k + 1), "S^{(%d)}" % (k + 1),
             "Y" if k == n_layers - 1 else "X^{(%d)}" % (k + 1)) for k in range(n_layers)]


def _weighted_sum(row, bias, xs):
    total = row[0] * xs[0]
    for w, x in zip(row[1:], xs[1:]):
        total = total + w * x
    return total if bias is None else total + bias


def _activate(S, activation):
    if activation == "softmax":                 # по столбцу: Y_i = e^(S_i − m) / Σ_k e^(S_k − m), m — константа
        columns = []
        for m in range(len(S[0])):
            top = max(row[m].data for row in S)
            e = [(row[m] - top).exp() for row in S]
            total = e[0]
            for term in e[1:]:
                total = total + term
            columns.append([term / total for term in e])
        return [[columns[m][i] for m in range(len(S[0]))] for i in range(len(S))]
    step = {"sigmoid": Value.sigmoid, "tanh": Value.tanh, "relu": Value.relu, "linear": lambda v: v}
    if activation not in step:
        raise ValueError(f"activation: граф умеет {list(step) + ['softmax']}, получено {activation!r}")
    return [[step[activation](node) for node in row] for row in S]


def _loss(loss_name, activation, S, Y, A):
    """Сумма E по примерам (без деления на N), из узлов."""
    terms = []
    for i, row in enumerate(Y):
        for m, y in enumerate(row):
            a = float(A[i, m])
            if loss_name == "mse":
                terms.append(0.5 * (y - a) ** 2)            # ½ (Y_i − a_i)²
            elif activation == "softmax":
                if a:
                    terms.append(-a * y.log())              # −a_i ln Y_i
            else:                                           # −[a ln Y + (1 − a) ln(1 − Y)]
                if a:
                    terms.append(-a * y.log())
                if a != 1:
                    terms.append(-(1 - a) * (1 - y).log())
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def graph_gradients(net, X, A):
    """(dW, db) сети net, посчитанные графом: построить граф, backward(), собрать градиенты листьев."""
    g = network_graph(net, X, A)
    g.loss.backward()
    return g.gradients()
