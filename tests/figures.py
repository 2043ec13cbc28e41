"""Сравнение рисунков ноутбука: сохранённый PNG против нового, с малым допуском.

nbval сам PNG не сравнивает (image/png у него в списке пропусков), и перевёрнутая кривая или
перевёрнутая шкала цвета проходили бы незамеченными. conftest.py подключает эту проверку к nbval.
Байт в байт сравнивать нельзя: другая версия matplotlib или Pillow сглаживает края чуть иначе.
Поэтому сравниваем картинки: размер должен совпасть, а заметно другим цветом (больше DELTA из 255
по какому-нибудь каналу) может быть не больше MAX_CHANGED доли точек.
"""
import base64
import io

import numpy as np
from PIL import Image

DELTA = 64
MAX_CHANGED = 0.002


def decode(png_base64):
    """base64 из ноутбука -> массив (высота, ширина, 3) целых 0..255."""
    data = base64.b64decode("".join(png_base64) if isinstance(png_base64, list) else png_base64)
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.int16)


def changed_fraction(stored, fresh):
    """Доля точек, цвет которых заметно изменился; 1.0 — если размер другой."""
    a, b = decode(stored), decode(fresh)
    if a.shape != b.shape:
        return 1.0
    return float(np.mean(np.abs(a - b).max(axis=2) > DELTA))


def same_figure(stored, fresh):
    """(совпадают ли, пояснение для отчёта)."""
    a, b = decode(stored), decode(fresh)
    if a.shape != b.shape:
        return False, f"рисунок другого размера: было {a.shape[1]}×{a.shape[0]}, стало {b.shape[1]}×{b.shape[0]}"
    fraction = changed_fraction(stored, fresh)
    return fraction <= MAX_CHANGED, f"изменилось {fraction:.2%} точек рисунка (допуск {MAX_CHANGED:.2%})"
