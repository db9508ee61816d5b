"""A batch survives what a cluster does to it: a worker process that dies in the middle
of a run costs only that run's retry, a run that kills its worker every time is recorded
as failed while the others finish, and a scheduler address that is malformed, of
another scheme, or not a Dask scheduler is one clear line before anything runs."""

from __future__ import annotations

import os
import socket
import threading

import numpy as np
import pytest

from corridorsim import workers
from corridorsim.batch import run_batch
from corridorsim.errors import CorridorSimError

from .builders import flow, scenario
from .engine_helpers import toy_scenario

DEFAULT_ARGS = {"replications": 4, "seed": 3}


@pytest.fixture
def toy(tmp_path):
    body = scenario(flow("B1", "D", 400, schedule=False), days=30, trains={1520: 2})
    return toy_scenario(tmp_path, body)


def dying(monkeypatch, marker, *, always: bool):
    """Replication 1 kills its worker process (once, or every time)."""
    real = workers.flow_transits

    def transits(plan, replication, seed):
        if replication == 1 and (always or not marker.exists()):
            marker.touch()
            os._exit(9)
        return real(plan, replication, seed)

    monkeypatch.setattr(workers, "flow_transits", transits)


def same(a, b):
    for ra, rb in zip(a.transits[0], b.transits[0], strict=True):
        assert ra.keys() == rb.keys()
        for k in ra:
            np.testing.assert_array_equal(ra[k], rb[k])


def test_a_worker_that_dies_once_costs_a_retry_not_the_batch(toy, tmp_path, monkeypatch):
    """Before: the pool waited for the lost run for ever."""
    serial = run_batch([toy], jobs=1, **DEFAULT_ARGS)
    dying(monkeypatch, tmp_path / "died", always=False)
    pooled = run_batch([toy], jobs=2, cache=tmp_path / "runs", **DEFAULT_ARGS)
    assert (tmp_path / "died").exists()  # a worker did die
    assert pooled.failures == []
    same(pooled, serial)
    assert len(list((tmp_path / "runs").glob("*.npz"))) == 4  # every run kept


@pytest.mark.parametrize("jobs", [1, 2])
def test_meanwhile_runs_once_in_this_process_even_when_a_worker_dies(
    toy, tmp_path, monkeypatch, jobs
):
    """What the caller does while the workers simulate (``sweep`` imports its writer)
    runs once, in the parent, also when a dead worker's run is retried on a new pool."""
    calls = []
    if jobs > 1:
        dying(monkeypatch, tmp_path / "died", always=False)
    batch = run_batch([toy], jobs=jobs, meanwhile=lambda: calls.append(os.getpid()), **DEFAULT_ARGS)
    assert calls == [os.getpid()]
    assert batch.failures == []
    assert (tmp_path / "died").exists() == (jobs > 1)


def test_a_run_that_kills_its_worker_each_time_is_recorded(toy, tmp_path, monkeypatch):
    serial = run_batch([toy], jobs=1, **DEFAULT_ARGS)
    dying(monkeypatch, tmp_path / "died", always=True)
    pooled = run_batch([toy], jobs=2, **DEFAULT_ARGS)
    assert [(v, r) for v, r, _ in pooled.failures] == [(0, 1)]
    assert "WorkerDied" in pooled.failures[0][2]
    for r in (0, 2, 3):
        for k, hours in serial.transits[0][r].items():
            np.testing.assert_array_equal(pooled.transits[0][r][k], hours)


@pytest.mark.parametrize(
    "address", ["localhost:8786", "http://127.0.0.1:8786", "tcp://:8786", "tcp://h", "tcp://h:1/x"]
)
def test_a_malformed_scheduler_is_a_usage_error(cli, address):
    r = cli(
        "sweep",
        "default",
        "--vary",
        "operations.departure.max_wait_hours=24,48",
        "--scheduler",
        address,
    )
    assert r.returncode == 2
    assert "give a Dask scheduler's address, tcp://HOST:PORT" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.fixture
def not_dask():
    """A server on a port the system picks, answering like a web server."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def test_something_that_is_not_a_dask_scheduler_is_named(toy, not_dask):
    """Before: Dask read the reply as a message length and raised MemoryError."""
    pytest.importorskip("distributed")
    with pytest.raises(CorridorSimError, match="something answered there, but not a Dask"):
        run_batch([toy], scheduler=not_dask, **DEFAULT_ARGS)
