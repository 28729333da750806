"""int_loop: the CPython twin of int_loop.ny (size N: iterations; all values stay non-negative, so Python's
floor division and modulo agree with Nyash's truncating ones)."""
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    a, b, c, d = 0, 1, 0, 7
    i = 0
    while i < n:
        r = i % 7
        if r == 0:
            a = (a + i) % 1000003
        elif r < 3:
            b = (b * 3 + i) % 999983
        elif r == 3:
            c = (c + i // 3 + r) % 65521
        else:
            d = (d * 31 + i % 1000) % 1000033
        if i % 3 == 0:
            a = a + 1
        i = i + 1
    print(f"int_loop({n}) = {a} {b} {c} {d}")


if __name__ == "__main__":
    main()
