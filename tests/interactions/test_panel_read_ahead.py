"""A big panel is read by a second process, a chunk ahead of the review: same answer, same errors, and the
reading process never outlives the review."""

from __future__ import annotations

import os
import pickle
import random
import threading
from datetime import date

import pytest

import interactions.panel as panel
from interactions.panel import review_panel
from interactions.read_ahead import can_fork, read_ahead
from regimens.errors import TaperInputError
from tests.helpers.panels import HEADER, random_panel

TODAY = date(2026, 11, 26)



@pytest.fixture
def forks(monkeypatch):
    """The pids of the reading processes started during a test."""
    started: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return started


def _gone(pid: int) -> bool:
    """The process has ended and been waited for (no zombie left behind)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("rows", [1, 7, 50, 10_000])
def test_reading_ahead_gives_the_same_answer(tmp_path, forks, rows):
    path = tmp_path / "panel.csv"
    path.write_text(random_panel(11, 40))
    alone = review_panel(str(path), today=TODAY, chunk_rows=rows, read_ahead=False)
    ahead = review_panel(str(path), today=TODAY, chunk_rows=rows, read_ahead=True)
    assert ahead.patients.equals(alone.patients)
    assert [e.render() for e in ahead.skipped] == [e.render() for e in alone.skipped]
    assert ahead.rows_read == alone.rows_read
    assert len(forks) == 1 and _gone(forks[0])


def test_a_scattered_file_read_ahead_is_regrouped(tmp_path, forks):
    """The reading process finds the patients spread out; the review starts again, regrouping, with a new
    reading process, and the first one is stopped."""
    lines = random_panel(12, 30).splitlines()[1:]
    random.Random(3).shuffle(lines)
    path = tmp_path / "shuffled.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n")
    alone = review_panel(str(path), today=TODAY, chunk_rows=9, read_ahead=False)
    ahead = review_panel(str(path), today=TODAY, chunk_rows=9, read_ahead=True)
    assert ahead.patients.equals(alone.patients)
    assert len(forks) == 2 and all(_gone(pid) for pid in forks)


@pytest.mark.parametrize(("tail", "message"), [
    (b"z,70,oxycodone,5 mg,tablet,1,morn\x00ing,no,\n", "NUL byte"),
    (b"z,70,oxycodone,5 mg,tablet,1,morn\xe9ing,no,\n", "not UTF-8 text"),
])
def test_a_bad_file_found_by_the_reading_process_is_reported_the_same(tmp_path, forks, tail, message):
    path = tmp_path / "panel.csv"
    path.write_bytes(random_panel(8, 30).encode() + tail)
    with pytest.raises(TaperInputError, match=message) as alone:
        review_panel(str(path), today=TODAY, chunk_rows=10, read_ahead=False)
    with pytest.raises(TaperInputError, match=message) as ahead:
        review_panel(str(path), today=TODAY, chunk_rows=10, read_ahead=True)
    assert ahead.value.render() == alone.value.render() and ahead.value.file == str(path)
    assert len(forks) == 1 and _gone(forks[0])


def test_progress_comes_from_the_reading_process(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text(random_panel(5, 30))
    seen: list[tuple[int, int, int, int]] = []
    review_panel(str(path), today=TODAY, chunk_rows=20, read_ahead=True,
                 progress=lambda s: seen.append((s.rows_read, s.patients_reviewed, s.bytes_read, s.total_bytes)))
    rows = len(path.read_text().splitlines()) - 1
    assert len(seen) > 3 and seen[-1][0] == rows and seen[-1][1] == 30
    assert seen[-1][2] == seen[-1][3] == path.stat().st_size
    assert all(a <= b for a, b in zip(seen, seen[1:], strict=False))


class _Meter:
    def __init__(self) -> None:
        self.count = 0


def _counting(meter: _Meter):
    for i in range(5):
        meter.count += 1
        yield i


def test_items_and_the_meter_come_back_in_order(forks):
    meter = _Meter()
    meter.mine = "the caller's"
    seen = [(item, meter.count) for item in read_ahead(_counting, meter, metered=("count",))]
    assert seen == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]
    assert meter.count == 5 and meter.mine == "the caller's" and _gone(forks[0])


def test_stopping_early_stops_the_reading_process(forks):
    def endless(meter: _Meter):
        while True:
            meter.count += 1
            yield b"x" * 100_000  # more than a pipe holds: the reader waits for the caller

    items = read_ahead(endless, _Meter())
    assert next(items) == b"x" * 100_000
    items.close()
    assert _gone(forks[0])


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("not this one")


def test_errors_of_the_producer_are_raised_by_the_caller(forks):
    def fails(meter: _Meter):
        yield 1
        raise TaperInputError("bad cell", file="p.csv", row=4, column="dose")

    items = read_ahead(fails, _Meter())
    assert next(items) == 1
    with pytest.raises(TaperInputError) as caught:
        next(items)
    assert (caught.value.file, caught.value.row, caught.value.column) == ("p.csv", 4, "dose")

    def breaks(meter: _Meter):
        raise _Unpicklable("odd")
        yield

    with pytest.raises(RuntimeError, match="_Unpicklable: odd"):
        list(read_ahead(breaks, _Meter()))
    assert all(_gone(pid) for pid in forks)


def test_a_reading_process_that_dies_is_reported(forks):
    def dies(meter: _Meter):
        yield 1
        os._exit(3)

    items = read_ahead(dies, _Meter())
    assert next(items) == 1
    with pytest.raises(RuntimeError, match="stopped .exit status 3"):
        next(items)


def test_input_errors_keep_their_parts_when_pickled():
    error = TaperInputError("is not a date", file="panel.csv", row=7, column="birth_date", details=["see row 7"])
    again = pickle.loads(pickle.dumps(error))
    assert (again.message, again.file, again.row, again.column, again.details) == (
        "is not a date", "panel.csv", 7, "birth_date", ["see row 7"])
    assert str(again) == str(error)


def test_only_big_files_are_read_ahead_and_only_by_a_single_thread(tmp_path, monkeypatch):
    path = tmp_path / "panel.csv"
    path.write_text(random_panel(1, 10))
    assert not panel._worth_reading_ahead(str(path))
    assert not panel._worth_reading_ahead(str(tmp_path / "missing.csv"))
    monkeypatch.setattr(panel, "READ_AHEAD_BYTES", 100)
    assert panel._worth_reading_ahead(str(path)) == can_fork()
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not can_fork() and not panel._worth_reading_ahead(str(path))
    finally:
        release.set()
        other.join()
