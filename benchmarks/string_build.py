"""string_build: the CPython twin of string_build.ny (size N: words appended; ASCII, so str.find offsets
equal Nyash's byte offsets)."""
import sys

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    buf = ""
    tail = ""
    seed = 42
    found = total = 0
    i = 0
    while i < n:
        seed = (seed * 1103515245 + 12345) % 2147483648
        buf = buf + WORDS[seed // 65536 % 8] + ","
        if len(buf) > 240:
            buf = buf[len(buf) - 120:]
        key = WORDS[seed // 8192 % 8]
        p = buf.find(key)
        if p >= 0:
            found += 1
            total = (total + p) % 1000003
            q = buf.find(key, p + 1)
            if q >= 0:
                total = (total + q * 3) % 1000003
            tail = tail + buf[p:p + 2]
            if len(tail) > 60:
                tail = tail[30:]
        i += 1
    print(f"string_build({n}) = {found} {total} {len(buf)} [{tail}]")


if __name__ == "__main__":
    main()
