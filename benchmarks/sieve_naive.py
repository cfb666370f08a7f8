"""The slow half of benchmarks/run.py's pyperf agreement pair: primes below N by trial division."""

import sys

N = 150_000


def primes_below(n: int) -> list[int]:
    """Every prime below n, each candidate divided by the primes found so far up to its root."""
    primes: list[int] = []
    for candidate in range(2, n):
        for p in primes:
            if p * p > candidate:
                primes.append(candidate)
                break
            if candidate % p == 0:
                break
        else:
            primes.append(candidate)
    return primes


if __name__ == "__main__":
    sys.stdout.write(f"{len(primes_below(N))}\n")
