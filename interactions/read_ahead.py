"""Read ahead in a second process: a forked child runs a producer and hands its items over a pipe, one
ahead of the caller, so that reading a big file and reviewing it share the machine's cores.

Used by the panel review (:mod:`interactions.panel`), whose reading (parsing half a million CSV rows at a
time and grouping them by patient) is about as long as its review. The child is a fork of the caller: it
needs no arguments pickled, only its items, and it exits with ``os._exit`` so it never flushes or cleans
up anything of the caller's. It writes nothing but the pipe.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Generator, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
M = TypeVar("M")


def can_fork() -> bool:
    """Forking is safe here: Linux (macOS has ``fork`` but its system libraries are not safe to use in a
    forked child) and a single thread in this process (a fork copies only the calling thread, and a lock
    another thread holds would stay held in the child)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def read_ahead(produce: Callable[[M], Iterator[T]], meter: M, *, metered: tuple[str, ...] = ()
               ) -> Generator[T, None, None]:
    """The items of ``produce(meter)``, produced by a forked child while the caller works on the item
    before. ``meter`` is any object whose ``metered`` attributes the producer updates (rows read, bytes
    read): the child's values of those are set on it with each item (the caller's own attributes stay
    the caller's). The child runs at most one item ahead (a pipe holds far less than an item, so its next
    write waits for the caller), which bounds memory.

    An exception in the producer is raised here, as the producer raised it (its traceback as text when
    it cannot be pickled); closing this generator early stops the child."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _produce_into(write_end, produce, meter, metered)
    os.close(write_end)
    done = False
    ended: list[str] = []  # how the child ended, once it has been waited for (its pid is then free)

    def wait() -> str:
        if not ended:
            _, status = os.waitpid(pid, 0)
            ended.append(f"exit status {os.waitstatus_to_exitcode(status)}")
        return ended[0]

    try:
        with os.fdopen(read_end, "rb") as pipe:
            while True:
                try:
                    kind, payload, state = pickle.load(pipe)
                except (EOFError, pickle.UnpicklingError):  # it died, perhaps halfway through an item
                    raise RuntimeError(f"the reading process stopped ({wait()})") from None
                for name, value in state.items():
                    setattr(meter, name, value)
                if kind == "item":
                    yield payload
                elif kind == "raise":
                    raise payload
                elif kind == "failed":
                    raise RuntimeError(f"the reading process failed:\n{payload}")
                else:
                    done = True
                    return
    finally:
        if not done and not ended:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        wait()


def _produce_into(fd: int, produce: Callable[[Any], Iterator[Any]], meter: Any, metered: tuple[str, ...]) -> None:
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the caller, which stops this process
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        with os.fdopen(fd, "wb") as pipe:

            def send(kind: str, payload: Any) -> None:
                state = {name: getattr(meter, name) for name in metered}
                data = pickle.dumps((kind, payload, state), protocol=pickle.HIGHEST_PROTOCOL)
                if kind == "raise":
                    pickle.loads(data)  # an exception the caller could not rebuild is sent as text
                pipe.write(data)
                pipe.flush()

            try:
                for item in produce(meter):
                    send("item", item)
                send("end", None)
            except (BrokenPipeError, ConnectionResetError):  # the caller stopped early
                raise
            except Exception as exc:  # noqa: BLE001 - handed to the caller, which raises it
                import traceback

                text = traceback.format_exc()
                try:
                    send("raise", exc)
                except Exception:  # noqa: BLE001
                    send("failed", text)
    except BaseException:  # noqa: BLE001 - the caller sees the pipe close and reports it
        code = 1
    finally:
        os._exit(code)
