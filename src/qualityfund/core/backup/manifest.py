"""The manifest of a backup folder: what it holds and the SHA-256 of every file in it."""

import hashlib
import json
from pathlib import Path, PurePosixPath

from .errors import BackupError

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def inside(folder: Path, relative: str) -> Path:
    """``folder / relative``, refusing a name that would leave the folder."""
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or ".." in parts or "\\" in relative:
        raise BackupError(f"备份清单中的文件名不合法：{relative}")
    return folder.joinpath(*parts)


def write(folder: Path, content: dict) -> None:
    """Write ``content`` with the SHA-256 and size of every file already in the folder."""
    entries = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        entries[relative] = {"sha256": sha256_of(path), "size": path.stat().st_size}
    manifest = {"format": FORMAT, **content, "entries": entries}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                   encoding="utf-8")


def verified(folder: Path) -> dict:
    """The manifest, once every file it lists is present with its size and SHA-256."""
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} 不是备份目录：缺少 {MANIFEST}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(f"备份文件已损坏：{MANIFEST} 不是有效的清单") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')}")
    for relative, expected in manifest["entries"].items():
        file = inside(folder, relative)
        if not file.is_file():
            raise BackupError(f"备份文件缺失：{relative}")
        if file.stat().st_size != expected["size"] or sha256_of(file) != expected["sha256"]:
            raise BackupError(f"备份文件已损坏：{relative}（SHA-256 校验不符）")
    return manifest
