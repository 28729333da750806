"""fib: recursive Fibonacci, the CPython twin of fib.ny (size N: prints fib(N))."""
import sys


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print(f"fib({n}) = {fib(n)}")


if __name__ == "__main__":
    main()
