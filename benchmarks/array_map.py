"""array_map: the CPython twin of array_map.ny (size N: the sieve's limit; a dict keeps insertion order
like MapBox)."""
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    sieve = []
    i = 0
    while i <= n:
        sieve.append(0 if i < 2 else 1)
        i += 1
    i = 2
    while i * i <= n:
        if sieve[i] == 1:
            j = i * i
            while j <= n:
                sieve[j] = 0
                j += i
        i += 1
    counts = {}
    primes = total = 0
    i = 2
    while i <= n:
        key = "c" + str(i % 101)
        if sieve[i] == 1:
            primes += 1
            total = (total + i) % 1000000007
            key = "p" + str(i % 101)
        if key in counts:
            counts[key] = counts[key] + 1
        else:
            counts[key] = 1
        i += 1
    check = 0
    for k, key in enumerate(counts):
        check = (check + counts[key] * (k + 1)) % 1000000007
    print(f"array_map({n}) = {primes} {total} {len(counts)} {check}")


if __name__ == "__main__":
    main()
