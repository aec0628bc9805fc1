"""Typed readers for settings that come from environment variables.

Each reader also accepts ``NAME_FILE`` pointing at a file holding the value, so
secrets can come from a mounted secret file instead of the process environment.
"""

import os
from pathlib import Path


def env(name: str, default: str = "") -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = env(name, "")
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = env(name, "")
    return int(value) if value else default


def envlist(name: str, default: list[str]) -> list[str]:
    value = env(name, "")
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def persistent_secret(path: Path) -> str:
    """Return the secret stored at ``path``, creating it on first use.

    The embedded default runs with no configuration at all, yet sessions must
    survive a restart and several workers must agree on one key.
    """
    import secrets

    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Create the file readable by the owner alone; a second worker racing us
    # loses the O_EXCL race and reads the winner's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
