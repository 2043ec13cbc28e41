"""Помощники курса «Обратное распространение ошибки»: всё, кроме самой сети (она — в модуле backprop).

Модули по назначению; в каждом ноутбуке они импортируются под одними и теми же именами (ALIASES):

    import backprop as bp                                   # сеть, τ, градиенты, обучение
    from backprop_course import datasets as ds              # наборы данных, разбиение, доля верных ответов
    from backprop_course import settings as cfg             # подобранные настройки всех ноутбуков
    from backprop_course import plots as bpl                # рисунки
    from backprop_course import style                       # стиль рисунков, показ исходного кода
    from backprop_course import widgets as bw               # ползунки для занятия
    from backprop_course import exercises as ex             # упражнения с проверкой
    from backprop_course import text                        # согласование числа и существительного
    from backprop_course import graph as gr                 # вычислительный граф из чисел (ноутбук 06)
    from backprop_course import race as rc                  # гонка оптимизаторов на XOR, сотни сетей сразу (07)
"""

ALIASES = {
    "backprop": "bp",
    "backprop_course.datasets": "ds",
    "backprop_course.settings": "cfg",
    "backprop_course.plots": "bpl",
    "backprop_course.style": "style",
    "backprop_course.widgets": "bw",
    "backprop_course.exercises": "ex",
    "backprop_course.text": "text",
    "backprop_course.graph": "gr",
    "backprop_course.race": "rc",
}
