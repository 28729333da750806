"""Recursive Fibonacci, the CPython reference for benchmarks/fib.ny."""
import sys


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    print(f"fib({n}) = {fib(n)}")


if __name__ == "__main__":
    main()
