// array_map: a sieve of Eratosthenes on an ArrayBox of N + 1 flags, then a MapBox counting the numbers
// 2..N by bucket, with keys built as Strings ("p7" for primes, "c7" for composites, the number being i % 101).
// Measures ArrayBox get/set/push, String building and MapBox has/get/set. Size N: the sieve's limit.
// The same program is in array_map.py and array_map.c.
static box Main {
    main(args) {
        local n = 5000
        if args.length() > 0 { n = args.get(0).toInteger() }
        local sieve = new ArrayBox()
        local i = 0
        loop(i <= n) {
            if i < 2 { sieve.push(0) } else { sieve.push(1) }
            i = i + 1
        }
        i = 2
        loop(i * i <= n) {
            if sieve.get(i) == 1 {
                local j = i * i
                loop(j <= n) {
                    sieve.set(j, 0)
                    j = j + i
                }
            }
            i = i + 1
        }
        local counts = new MapBox()
        local primes = 0
        local sum = 0
        i = 2
        loop(i <= n) {
            local key = "c" + i % 101
            if sieve.get(i) == 1 {
                primes = primes + 1
                sum = (sum + i) % 1000000007
                key = "p" + i % 101
            }
            if counts.has(key) {
                counts.set(key, counts.get(key) + 1)
            } else {
                counts.set(key, 1)
            }
            i = i + 1
        }
        // fold the counts in key insertion order, so the order is part of the checksum
        local keys = counts.keys()
        local check = 0
        local k = 0
        loop(k < keys.length()) {
            check = (check + counts.get(keys.get(k)) * (k + 1)) % 1000000007
            k = k + 1
        }
        print("array_map(" + n + ") = " + primes + " " + sum + " " + keys.length() + " " + check)
    }
}
