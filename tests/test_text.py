"""Согласование числа и существительного в тексте, который печатает код курса."""
import pytest

from backprop_course import text


@pytest.mark.parametrize("n, expected", [
    (1, "1 эпоха"), (2, "2 эпохи"), (4, "4 эпохи"), (5, "5 эпох"), (11, "11 эпох"), (12, "12 эпох"),
    (14, "14 эпох"), (21, "21 эпоха"), (22, "22 эпохи"), (100, "100 эпох"), (101, "101 эпоха"),
    (111, "111 эпох"), (134, "134 эпохи"), (1042, "1042 эпохи"), (80000, "80000 эпох"), (0, "0 эпох"),
])
def test_count_agrees(n, expected):
    assert text.count(n, *text.EPOCHS) == expected


def test_times_and_seeds():
    assert [text.times(n) for n in (2, 4, 5, 10, 100, 21)] == ["в 2 раза", "в 4 раза", "в 5 раз", "в 10 раз",
                                                             "в 100 раз", "в 21 раз"]
    assert text.count(3, *text.SEEDS) == "3 зерна" and text.count(20, *text.SEEDS) == "20 зёрен"
    assert text.count(0.5, *text.EPOCHS) == "0.5 эпохи"
    with pytest.raises(TypeError, match="n: ожидается число"):
        text.plural("3", *text.EPOCHS)
