"""Bounded load test of ``b12lint serve`` on loopback: single-encounter checks from N clients.

    python bench/serve_load.py --clients 16 --seconds 60
    python bench/serve_load.py --clients 16 --seconds 60 --history /tmp/h.db [--record]

Starts the server (a subprocess on a free 127.0.0.1 port), warms it up, then runs ``--clients``
concurrent clients posting one native encounter each for ``--seconds``; prints requests/s,
p50/p99 latency, errors (must be 0), the server's CPU time per request (user + system: steadier
than wall time on a shared machine) and its RSS before and after (no growth), as a table and
JSON. Every request goes to 127.0.0.1; the loop is bounded in time and count.

The same run measures a baseline: a server that builds each ruleset's rule selection anew for
every request (as before it was loaded once and shared; ``--variants`` picks, ``--rounds``
alternates them), and, in this process without HTTP, the milliseconds one check takes in
each variant (``--direct`` checks, interleaved, median of the best rounds): the per-request
saving.
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
#: ``shared``: this tree; ``per-request``: each ruleset's selection rebuilt for every check.
VARIANTS = ("per-request", "shared")


def per_request_selection() -> None:
    """The baseline: a ruleset's rule selection built anew on every use (every request)."""
    from b12lint.engine.ruleset import Ruleset
    from b12lint.engine.selection import Selection

    def fresh(self: Ruleset) -> Selection:
        return Selection(self.encounter_rules)

    Ruleset.selection = property(fresh)  # type: ignore[assignment,method-assign]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (steadier than wall time on a busy machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def serve_main(variant: str, argv: list[str]) -> None:
    """The server subprocess: ``b12lint serve`` in one variant."""
    if variant == "per-request":
        per_request_selection()
    from b12lint.cli import main

    sys.argv = ["b12lint", "serve", *argv]
    main()


def measure(variant: str, args: argparse.Namespace) -> dict[str, object]:
    """One server of ``variant`` under load: the figures."""
    port = free_port()
    env = {**os.environ, "B12LINT_SERVE_TOKEN": ""}
    argv = ["--port", str(port), "--workers", str(args.workers)]
    if args.history:
        argv += ["--history", args.history]
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve-variant", variant, "--", *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/v1/check" + ("?record=true" if args.record else "")
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
        asyncio.run(load(url, 2, 2.0))  # warm-up
        before, cpu_before = rss_kb(server.pid), cpu_seconds(server.pid)
        latencies, errors, elapsed = asyncio.run(load(url, args.clients, args.seconds))
        after, cpu = rss_kb(server.pid), cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()
    return {
        "variant": variant,
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "errors": len(errors),
        "cpu_ms_per_req": round(cpu / max(len(latencies), 1) * 1000, 2),
        "rss_before_mb": round(before / 1024, 1),
        "rss_after_mb": round(after / 1024, 1),
    }


def direct(checks: int, rounds: int = 5) -> dict[str, float]:
    """Milliseconds per check (read, engine, report, JSON) in this process, per variant."""
    from b12lint.cli.common import rule_infos
    from b12lint.engine import build_router, load_packs
    from b12lint.engine.ruleset import Ruleset
    from b12lint.serve.checker import Checker

    router = build_router(load_packs(), {})
    checker = Checker(router, rule_infos=rule_infos(router))
    body = json.dumps(RECORD).encode()
    shared = Ruleset.__dict__["selection"]
    best: dict[str, list[float]] = {v: [] for v in VARIANTS}
    for _ in range(rounds):
        for variant in VARIANTS:  # interleaved
            if variant == "per-request":
                per_request_selection()
            else:
                Ruleset.selection = shared  # type: ignore[method-assign]
            start = time.perf_counter()
            for _ in range(checks):
                checker.render(checker.report(body, None), "json")
            best[variant].append((time.perf_counter() - start) / checks * 1000)
    Ruleset.selection = shared  # type: ignore[method-assign]
    return {v: round(statistics.median(sorted(t)[:3]), 3) for v, t in best.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--history", metavar="TARGET", help="serve with this history store")
    parser.add_argument("--record", action="store_true", help="post with ?record=true")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="per-request,shared")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the variants N times")
    parser.add_argument("--direct", type=int, default=2000, help="in-process checks (0: none)")
    parser.add_argument("--serve-variant", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("serve_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_variant:
        serve_main(args.serve_variant, args.serve_args)
        return
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    results = [measure(v, args) for _ in range(args.rounds) for v in variants]
    keys = list(results[0])
    print(" ".join(f"{k:>14}" for k in keys))
    for result in results:
        print(" ".join(f"{result[k]!s:>14}" for k in keys))
    summary: dict[str, object] = {"load": results}
    for key in ("requests_per_s", "cpu_ms_per_req"):
        by_variant: dict[str, list[float]] = {}
        for result in results:
            by_variant.setdefault(str(result["variant"]), []).append(float(str(result[key])))
        if len(by_variant) == 2:
            shared = statistics.median(by_variant["shared"])
            ratio = shared / statistics.median(by_variant["per-request"])
            summary[f"{key}_ratio_shared_vs_per_request"] = round(ratio, 2)
            print(f"{key}, shared / per-request (medians): {ratio:.2f}x")
    if args.direct:
        ms = direct(args.direct)
        summary["direct_ms_per_check"] = ms
        saving = ms["per-request"] - ms["shared"]
        print(
            f"one check in-process: per-request {ms['per-request']:.3f} ms, shared "
            f"{ms['shared']:.3f} ms: {saving:.3f} ms saved per request "
            f"({ms['shared'] / ms['per-request']:.2f}x)"
        )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
