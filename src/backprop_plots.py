"""Графики курса: подписи по-русски, шрифты крупные — читаются с последней парты."""
import matplotlib.pyplot as plt
import numpy as np

COURSE_STYLE = {
    "figure.figsize": (8, 5),
    "figure.dpi": 72,            # PNG в ноутбуке остаётся маленьким
    "savefig.dpi": 72,
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.labelsize": 14,
    "legend.fontsize": 12,
    "lines.linewidth": 2.5,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
CLASS_COLORS = ("#1f77b4", "#d62728")   # класс 0 — синий, класс 1 — красный
BOUNDARY_CMAP = "RdBu_r"


def use_course_style():
    """Включить стиль курса (крупные шрифты, сетка, умеренный dpi) для всех следующих графиков."""
    plt.rcParams.update(COURSE_STYLE)


def plot_losses(histories, ax=None, log=True, title="Ошибка E по эпохам"):
    """Кривые обучения: histories — словарь {подпись: массив E по эпохам}. Возвращает оси."""
    if ax is None:
        ax = plt.figure().add_subplot()
    for label, history in histories.items():
        ax.plot(np.arange(1, len(history) + 1), history, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("эпоха")
    ax.set_ylabel("ошибка E")
    ax.set_title(title)
    ax.legend()
    return ax


def plot_decision_boundary(net, X, labels, ax=None, resolution=200, margin=0.25, title=None):
    """Вероятность класса 1 над плоскостью (заливка), граница Y = 0.5 и точки X формы (2, n) с метками.

    labels — метки 0/1 формы (n,) или (1, n). Возвращает оси.
    """
    X = np.asarray(X, dtype=float)
    labels = np.asarray(labels).ravel()
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"X: ожидается форма (2, n_samples) — точки на плоскости, получена {X.shape}")
    if labels.shape != (X.shape[1],):
        raise ValueError(f"labels: ожидается {X.shape[1]} меток, получено {labels.size}")
    if ax is None:
        ax = plt.figure(figsize=(6, 5.5)).add_subplot()
    lo, hi = X.min(axis=1) - margin, X.max(axis=1) + margin
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    P = net.predict_proba(np.vstack([g0.ravel(), g1.ravel()]))[0].reshape(g0.shape)
    ax.contourf(g0, g1, P, levels=np.linspace(0, 1, 11), cmap=BOUNDARY_CMAP, alpha=0.75)
    ax.contour(g0, g1, P, levels=[0.5], colors="k", linewidths=2)
    for cls, color in enumerate(CLASS_COLORS):
        pts = X[:, labels == cls]
        ax.scatter(pts[0], pts[1], s=60, c=color, edgecolors="white", linewidths=1.2, label=f"класс {cls}")
    ax.set_xlabel("$I_1$")
    ax.set_ylabel("$I_2$")
    ax.set_aspect("equal")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


def show_source(obj):
    """Показать исходный код функции или метода модуля с подсветкой: в ноутбуке тот же код, что работает."""
    import inspect
    from IPython.display import Code
    return Code(inspect.getsource(obj), language="python")
