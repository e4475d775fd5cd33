"""Bounded load test of ``b12lint serve`` on loopback: single-encounter checks from N clients.

    python bench/serve_load.py --clients 16 --seconds 60

Starts the server (a subprocess on a free 127.0.0.1 port), warms it up, then runs ``--clients``
concurrent clients posting one native encounter each for ``--seconds``; prints requests/s,
p50/p99 latency, errors (must be 0) and the server's RSS before and after (no growth), as a
table and JSON. Every request goes to 127.0.0.1; the loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

RECORD = {
    "encounter_id": "L-1",
    "patient_id": "P-1",
    "date_of_service": "2026-03-02",
    "place_of_service": "11",
    "payer": {"id": "00952", "type": "medicare"},
    "diagnoses": ["D51.0"],
    "documentation": {
        "indication": "pernicious anemia, maintenance",
        "phase": "maintenance",
        "administrations": [{"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"}],
    },
    "lines": [
        {"code": "J3420", "units": 2, "dx_pointers": [1]},
        {"code": "96372", "units": 1, "dx_pointers": [1]},
    ],
}
MAX_REQUESTS = 2_000_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def client(
    url: str, body: bytes, until: float, latencies: list[float], errors: list[str]
) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        while time.monotonic() < until and len(latencies) < MAX_REQUESTS:
            start = time.perf_counter()
            try:
                r = await http.post(url, content=body, headers={"content-type": "application/json"})
                if r.status_code != 200:
                    errors.append(str(r.status_code))
            except httpx.HTTPError as exc:
                errors.append(type(exc).__name__)
            latencies.append(time.perf_counter() - start)


async def load(url: str, clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    body = json.dumps(RECORD).encode()
    latencies: list[float] = []
    errors: list[str] = []
    start = time.monotonic()
    until = start + seconds
    await asyncio.gather(*(client(url, body, until, latencies, errors) for _ in range(clients)))
    return latencies, errors, time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "B12LINT_SERVE_TOKEN": ""}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "b12lint",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.1)
        asyncio.run(load(f"{base}/v1/check", 2, 2.0))  # warm-up
        before = rss_kb(server.pid)
        latencies, errors, elapsed = asyncio.run(
            load(f"{base}/v1/check", args.clients, args.seconds)
        )
        after = rss_kb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()
    result = {
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "errors": len(errors),
        "rss_before_mb": round(before / 1024, 1),
        "rss_after_mb": round(after / 1024, 1),
    }
    for key, value in result.items():
        print(f"{key:>16}: {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
