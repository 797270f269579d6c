"""Serialise a result in Rust, with the GIL released, through a pipe the event loop drains.

pyoxigraph serialising into a Python file object takes the GIL back for every 8 KiB it writes.
Under load another thread is often running Python, and each write then waits for the GIL, up to
the interpreter's 5 ms switch interval: beside one busy Python thread, a 100k-row JSON result took
14.8 s instead of 0.8 s (measured; benchmarks/README.md). Given a *path*, pyoxigraph writes with
the GIL released. So a worker serialises into the write end of a pipe, named by its
``/proc/self/fd`` path, and the event loop reads the other end:

* a result that fits in the pipe (``PIPE_BYTES``) and is complete within ``DRAIN_AFTER_S`` is
  read in one go when the worker reports the end: one hop from worker to loop, as before;
* otherwise the loop drains the pipe as it fills, counting rows in each chunk, in reads of up to
  ``READ_BYTES`` (when it reads the pipe dry it waits ``REFILL_S`` before the next read, rather
  than wake for every 8 KiB the serialiser writes). When the client reads slowly, the loop stops
  reading, the pipe fills and the serialiser blocks (the GIL still released): back-pressure
  without buffering the result;
* to stop a query (deadline, row limit, client gone), the loop closes its end. The serialiser's
  next write fails with EPIPE and the worker is free again.

pyoxigraph syncs a file once it has written it; a pipe cannot be synced, so the call ends with
EINVAL after the last byte is written. That error is the normal end of a piped result.

Linux only (``/proc``); elsewhere ``AVAILABLE`` is false and results go through a Python writer.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sdgkg.errors import SdgkgError

if TYPE_CHECKING:
    from sdgkg.execution.row_meter import RowMeter
    from sdgkg.protocol.conneg import Representation

PIPE_BYTES = 1024 * 1024  # Linux's default ceiling for an unprivileged pipe (pipe-max-size)
DRAIN_AFTER_S = 0.01  # a result not finished by then is drained as it comes
READ_BYTES = 256 * 1024
REFILL_S = 0.002  # a pipe read dry is read again after this: ~80 KiB later at full speed

AVAILABLE = sys.platform == "linux" and os.path.isdir("/proc/self/fd")


@dataclass
class PipeOutput:
    """The loop's end of one piped result."""

    fd: int
    representation: Representation
    meter: RowMeter


class PipeStopped(Exception):
    """The loop closed its end: the query was stopped (deadline, row limit, client gone)."""


def serialise(
    result: Any,
    representation: Representation,
    meter: RowMeter,
    offer: Callable[[PipeOutput], bool],
) -> None:
    """Write ``result`` into a pipe whose read end goes to ``offer`` (``ResultStream.offer_pipe``,
    which is False when nobody waits any more); returns when the serialiser is done.

    Raises ``PipeStopped`` if the loop closed its end, or the serialiser's own error.
    """
    import fcntl  # POSIX only: imported where it is used, so the module loads everywhere

    read_fd, write_fd = os.pipe2(os.O_CLOEXEC)
    # A lowered pipe-max-size leaves the default 64 KiB pipe: it works, with more hops.
    with contextlib.suppress(OSError):
        fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    if not offer(PipeOutput(read_fd, representation, meter)):
        os.close(read_fd)
        os.close(write_fd)
        raise PipeStopped
    try:
        result.serialize(f"/proc/self/fd/{write_fd}", representation.format)
    except OSError as error:
        number = os_error_number(error)
        if number == errno.EPIPE:
            raise PipeStopped from None
        if number != errno.EINVAL:  # EINVAL: the final sync of a pipe, after the last byte
            raise
    finally:
        os.close(write_fd)


def is_resource_error(error: BaseException) -> bool:
    """Out of descriptors or memory: the server's trouble, not the query's (a 503, not a 400)."""
    return isinstance(error, OSError) and os_error_number(error) in (
        errno.EMFILE,
        errno.ENFILE,
        errno.ENOMEM,
        errno.ENOSPC,
    )


def os_error_number(error: OSError) -> int | None:
    """The errno of an OSError from pyoxigraph, which keeps it only in the message.

    >>> os_error_number(OSError("Invalid argument (os error 22)"))
    22
    """
    if error.errno is not None:
        return error.errno
    match = re.search(r"\(os error (\d+)\)$", str(error))
    return int(match.group(1)) if match else None


def read_to_end(fd: int) -> list[bytes]:
    """The rest of a pipe whose writer has closed it.

    Non-blocking all the same: the event loop must never wait on a pipe, whatever happened to
    its write end.
    """
    os.set_blocking(fd, False)
    parts: list[bytes] = []
    try:
        while data := os.read(fd, READ_BYTES):
            parts.append(data)
    except BlockingIOError:  # a write end still open somewhere: never a truncated answer
        raise SdgkgError("the result could not be read whole; try again") from None
    return parts
