"""Which discrete-event engine Level 3's labs run on: SimPy against a hand-rolled heap loop,
on the load-balancing lab's scenario, with the same seeded arrivals and service times.

The scenario: 8 servers (two at half speed) behind a balancer, Poisson arrivals at 70 %
of the cluster's capacity, exponential service times, and a pick() that sees each
server's outstanding requests, as the learner's will. Both engines must agree on every
request's latency (same seed, same events, same order); the figure that decides is the
wall time per simulated request, against a check's budget of 5 s.

Usage: python benchmarks/sim_engine.py [--requests N] [--runs N]   (needs `pip install simpy`)
"""

from __future__ import annotations

import argparse
import heapq
import random
import statistics
import sys
import time
from collections import deque
from collections.abc import Callable, Generator, Sequence
from typing import Any

SPEEDS = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5)  # requests per ms each server completes
UTILISATION = 0.7

Pick = Callable[[Sequence[int]], int]


def least_outstanding(outstanding: Sequence[int]) -> int:
    """The policy simulated: the server with the fewest requests in it (lowest index first)."""
    return min(range(len(outstanding)), key=outstanding.__getitem__)


def workload(requests: int, seed: int) -> tuple[list[float], list[float]]:
    """Arrival times and service demands (ms at speed 1), drawn before either engine runs."""
    rng = random.Random(seed)
    rate = UTILISATION * sum(SPEEDS)
    arrivals, now = [], 0.0
    for _ in range(requests):
        now += rng.expovariate(rate)
        arrivals.append(now)
    return arrivals, [rng.expovariate(1.0) for _ in range(requests)]


def with_heap(arrivals: list[float], demands: list[float], pick: Pick) -> list[float]:
    """Each server a FIFO queue; events (arrival, completion) on one heap, ties by sequence."""
    queues: list[deque[int]] = [deque() for _ in SPEEDS]
    outstanding = [0] * len(SPEEDS)
    latency = [0.0] * len(arrivals)
    events: list[tuple[float, int, int, int]] = [(t, i, 0, i) for i, t in enumerate(arrivals)]
    heapq.heapify(events)
    sequence = len(arrivals)
    while events:
        now, _, kind, request = heapq.heappop(events)
        if kind == 0:  # arrival
            server = pick(outstanding)
            outstanding[server] += 1
            queues[server].append(request)
            if len(queues[server]) == 1:
                heapq.heappush(
                    events, (now + demands[request] / SPEEDS[server], sequence, 1, server)
                )
                sequence += 1
        else:  # completion on server `request`
            server = request
            done = queues[server].popleft()
            outstanding[server] -= 1
            latency[done] = now - arrivals[done]
            if queues[server]:
                nxt = queues[server][0]
                heapq.heappush(events, (now + demands[nxt] / SPEEDS[server], sequence, 1, server))
                sequence += 1
    return latency


def with_simpy(arrivals: list[float], demands: list[float], pick: Pick) -> list[float]:
    """The same cluster as SimPy processes: one Resource of capacity 1 per server."""
    import simpy

    env = simpy.Environment()
    servers = [simpy.Resource(env, capacity=1) for _ in SPEEDS]
    outstanding = [0] * len(SPEEDS)
    latency = [0.0] * len(arrivals)

    def request(i: int, server: int) -> Generator[Any, Any, None]:
        with servers[server].request() as slot:
            yield slot
            yield env.timeout(demands[i] / SPEEDS[server])
        outstanding[server] -= 1
        latency[i] = env.now - arrivals[i]

    def source() -> Generator[Any, Any, None]:
        for i, at in enumerate(arrivals):
            yield env.timeout(at - env.now)
            server = pick(outstanding)
            outstanding[server] += 1
            env.process(request(i, server))

    env.process(source())
    env.run()
    return latency


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    try:
        import simpy
    except ImportError:
        print("needs SimPy: pip install simpy", file=sys.stderr)
        return 2
    arrivals, demands = workload(args.requests, seed=1)
    engines = {"heap loop": with_heap, f"SimPy {simpy.__version__}": with_simpy}
    results = {name: run(arrivals, demands, least_outstanding) for name, run in engines.items()}
    reference = next(iter(results.values()))
    for name, latency in results.items():
        worst = max(abs(a - b) for a, b in zip(latency, reference, strict=True))
        if worst > 1e-9:
            print(f"{name} disagrees with the heap loop by up to {worst:.3g} ms", file=sys.stderr)
            return 1
    ordered = sorted(reference)
    p99 = ordered[int(0.99 * len(ordered))]
    print(f"{args.requests:,} requests, 8 servers at {UTILISATION:.0%}: both engines agree on")
    print(f"every latency (P50 {statistics.median(ordered):.3f} ms, P99 {p99:.3f} ms)")
    for name, run in engines.items():
        times = []
        for _ in range(args.runs):
            start = time.process_time()
            run(arrivals, demands, least_outstanding)
            times.append(time.process_time() - start)
        best = min(times)
        print(
            f"  {name:<12} {best * 1000:7.1f} ms CPU (best of {args.runs}), "
            f"{best / args.requests * 1e6:5.2f} µs per request"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
