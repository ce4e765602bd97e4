"""Inspect a file in a child process, so a hostile file costs a child and not the server.

The child gets an address-space limit (RLIMIT_AS) and no core dumps; the parent waits at
most ``timeout`` seconds and then kills it. The limit is ``memory_mb`` on top of the address
space the child already has when it starts: the imported libraries alone map about 600 MB
that they never touch, while checking a two-page scan adds about 400 MB. glibc is told to
keep a single malloc arena, since each extra thread's arena reserves 64 MB of address space.

Children come from a fork server, a clean single-threaded process that has already imported
the inspection code (not the OCR models: ONNX Runtime's thread pools do not survive a fork),
so a child starts in well under a second and loads the models itself.
"""

import ctypes
import multiprocessing
import os
import resource

from .model import READABLE, Finding, InspectionSpec

MB = 1024 * 1024
_M_ARENA_MAX = -8  # mallopt parameter from <malloc.h>
_PRELOAD = ["qualityfund.domain.inspection.runner", "rapidocr_onnxruntime"]


def _context():
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def _mapped_bytes() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(memory_mb: int) -> None:
    try:
        ctypes.CDLL("libc.so.6").mallopt(_M_ARENA_MAX, 1)
    except OSError:
        pass
    limit = _mapped_bytes() + memory_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child(connection, path: str, spec: InspectionSpec, memory_mb: int) -> None:
    from .runner import inspect_file

    _limit_memory(memory_mb)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    findings = inspect_file(path, spec)
    connection.send([finding.as_dict() for finding in findings])
    connection.close()


def inspect_file_isolated(path, spec: InspectionSpec, timeout: float = 60,
                          memory_mb: int = 1024) -> list[Finding]:
    """``inspect_file`` in a bounded child; a crash or overrun becomes a "readable" failure."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, os.fspath(path), spec, memory_mb),
                              daemon=True)
    process.start()
    sender.close()
    try:
        if receiver.poll(timeout):
            return [Finding(**item) for item in receiver.recv()]
        return [Finding(READABLE, "fail", None,
                        f"文件检查超时（超过{timeout:g}秒），文件可能过大或结构异常，请精简后重新上传")]
    except (EOFError, OSError):
        return [Finding(READABLE, "fail", None,
                        "文件检查异常终止（可能占用内存过大或文件结构异常），请确认文件完好后重新上传")]
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
