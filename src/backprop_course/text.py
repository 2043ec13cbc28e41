"""Русский текст, который печатает код: число и существительное согласованы («1042 эпохи», «в 4 раза»).

    text.count(1042, "эпоха", "эпохи", "эпох")   -> "1042 эпохи"
    text.times(4)                                  -> "в 4 раза"
"""
import numbers

EPOCHS = ("эпоха", "эпохи", "эпох")
SEEDS = ("зерно", "зерна", "зёрен")
NEURONS = ("нейрон", "нейрона", "нейронов")
EXAMPLES = ("пример", "примера", "примеров")


def plural(n, one, few, many):
    """Форма существительного после числа n (именительный или винительный падеж, «за N эпох…»):
    1, 21, 101 — one; 2–4, 22–24 — few; 0, 5–20, 25–30, 111–114 — many; дробное число — few («0.5 эпохи»)."""
    if isinstance(n, bool) or not isinstance(n, numbers.Real):
        raise TypeError(f"n: ожидается число, получено {n!r:.60}")
    if not float(n).is_integer():
        return few
    n = abs(int(n))
    if 11 <= n % 100 <= 14:
        return many
    return one if n % 10 == 1 else few if 2 <= n % 10 <= 4 else many


def count(n, one, few, many):
    """«n существительное» с согласованием: count(3, *EPOCHS) -> "3 эпохи"."""
    return f"{n} {plural(n, one, few, many)}"


def times(n):
    """«в n раз(а)»: times(4) -> "в 4 раза", times(10) -> "в 10 раз"; n — целое или округлённое число."""
    return f"в {n} {plural(n, 'раз', 'раза', 'раз')}"
