"""The SECRET_KEY: given by the environment in production, made once for the embedded runtime.

A key that ships with the code is public, and with it anyone can forge sessions, password
reset links and signed values. The embedded runtime therefore makes its own random key the
first time it starts and keeps it in its data folder, readable by its owner only. A server
set up for production (a real host name, or secure cookies) must be given ``SECRET_KEY``:
it refuses to start rather than fall back to a key made on one machine.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

KEY_FILE = "secret_key"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "testserver", "::1", "[::1]"})


class MissingSecretKey(ImproperlyConfigured):
    """Production settings without ``SECRET_KEY``."""


def is_production(allowed_hosts: list[str], secure_cookies: bool) -> bool:
    """Serving real host names, or only over HTTPS, means the site is public."""
    return secure_cookies or not {h.strip() for h in allowed_hosts if h.strip()} <= LOCAL_HOSTS


def secret_key(given: str, data_dir: Path, *, production: bool) -> str:
    """The key to use: ``given`` when set; else, outside production, the data folder's own."""
    if given:
        return given
    if production:
        raise MissingSecretKey(
            "未设置 SECRET_KEY：生产配置（ALLOWED_HOSTS 含本机以外的域名，或 SECURE_COOKIES 已开启）"
            "必须由环境变量 SECRET_KEY 提供密钥（至少 50 个随机字符），服务拒绝启动。")
    return _embedded_key(data_dir / KEY_FILE)


def _embedded_key(path: Path) -> str:
    """Read the key file, or write a new random key to it (mode 0600).

    Several processes may start at once: the key is written to a private temporary file
    and linked into place, so a reader sees either no file or the whole key, and only the
    first writer's key is ever used.
    """
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    draft = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(64))
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text(encoding="ascii").strip()
