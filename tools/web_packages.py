"""Пакеты npm для сайта и проверки формул: tools/web/package.json и package-lock.json.

Точные версии и хеши целостности записаны в package-lock.json; ставит их `npm ci` в tools/web/node_modules/
(папка не в git). build_site и check_math вызывают ensure() сами: пакетов нет или package-lock.json
поменялся — ставят заново, иначе ничего не делают и в сеть не ходят. Нужен npm (Node.js).

Обновить версию: в tools/web/ выполнить `npm install --save-exact ПАКЕТ@ВЕРСИЯ` и закоммитить оба файла.
"""
import hashlib
import json
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

WEB = Path(__file__).resolve().parent / "web"
NODE_MODULES = WEB / "node_modules"
# После удачного npm ci сюда пишется хеш package.json + package-lock.json, по нему видно, что установка свежая.
STAMP = NODE_MODULES / ".course-lock.sha256"


class NpmError(RuntimeError):
    pass


def lock_digest():
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((WEB / name).read_bytes())
    return digest.hexdigest()


def is_installed():
    return STAMP.exists() and STAMP.read_text().strip() == lock_digest()


@contextmanager
def _install_lock():
    """Два процесса (например, тесты под pytest-xdist) не ставят пакеты одновременно."""
    try:
        import fcntl
    except ImportError:          # Windows: без блокировки
        yield
        return
    with open(WEB / ".install.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure(log=lambda text: print(text, file=sys.stderr)):
    """Поставить пакеты из package-lock.json (npm ci), если их нет или они устарели. Возвращает node_modules."""
    if is_installed():
        return NODE_MODULES
    with _install_lock():
        if is_installed():
            return NODE_MODULES
        npm = shutil.which("npm")
        if npm is None:
            raise NpmError("нужен npm (Node.js): он ставит MathJax, reveal.js и остальное из "
                           f"{(WEB / 'package-lock.json').relative_to(WEB.parents[1])}")
        log(f"ставлю пакеты npm в {NODE_MODULES} (npm ci, один раз после каждого изменения package-lock.json)")
        result = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                                cwd=WEB, capture_output=True, text=True)
        if result.returncode != 0:
            raise NpmError(f"npm ci в {WEB} не удался:\n{(result.stderr or result.stdout).strip()[-2000:]}")
        STAMP.write_text(lock_digest() + "\n")
    return NODE_MODULES


def package_dir(name):
    """Папка установленного пакета, например package_dir('mathjax')."""
    return NODE_MODULES / name


def version(name):
    """Версия пакета по package.json: ровно та, что закреплена в lock-файле."""
    return json.loads((WEB / "package.json").read_text(encoding="utf-8"))["dependencies"][name]
