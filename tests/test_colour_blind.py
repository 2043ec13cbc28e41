"""Цвета курса различимы и при дейтеранопии (самый частый вид дальтонизма): моделируем её матрицей
Machado, Oliveira, Fernandes (2009, полная степень) и меряем расстояние между цветами в CIELAB (ΔE 1976).
ΔE больше 20 — цвета уверенно различаются; к тому же у линий разный стиль, не только цвет."""
import itertools

import matplotlib.colors as mcolors
import numpy as np
import pytest

from backprop_course import plots as bpl, style

DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968],
                         [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])


def _linear(rgb):
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear_rgb
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen_by_deuteranope(color):
    return _lab(np.clip(DEUTERANOPIA @ _linear(mcolors.to_rgb(color)), 0, 1))


def delta_e(c1, c2):
    return float(np.linalg.norm(seen_by_deuteranope(c1) - seen_by_deuteranope(c2)))


CYCLE = style.COURSE_STYLE["axes.prop_cycle"].by_key()


@pytest.mark.parametrize("pair", list(itertools.combinations(CYCLE["color"], 2)))
def test_line_colours_differ_for_a_deuteranope(pair):
    assert delta_e(*pair) > 20, f"{pair}: ΔE = {delta_e(*pair):.1f}"


def test_lines_also_differ_by_style():
    assert len(set(CYCLE["linestyle"])) == len(CYCLE["linestyle"]) == len(CYCLE["color"])


@pytest.mark.parametrize("pair", [style.CLASS_COLORS, (bpl.FORWARD_COLOR, bpl.BACKWARD_COLOR)])
def test_class_and_pass_colours_differ_for_a_deuteranope(pair):
    assert delta_e(*pair) > 20, f"{pair}: ΔE = {delta_e(*pair):.1f}"


def test_the_simulation_itself_merges_red_and_green():
    """Проверка проверки: чистые красный и зелёный для дейтеранопа почти сливаются, синий и жёлтый — нет."""
    assert delta_e("#d62728", "#2ca02c") < 20 < delta_e("#0072B2", "#E69F00")
