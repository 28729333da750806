// int_loop: one long loop of Int arithmetic, `%` and `/`, an if/else-if chain and four accumulators
// kept bounded by `%` so the result is the same with 64-bit C integers and Python's big ints.
// Size N: the number of iterations. The same program is in int_loop.py and int_loop.c.
static box Main {
    main(args) {
        local n = 20000
        if args.length() > 0 { n = args.get(0).toInteger() }
        local a = 0
        local b = 1
        local c = 0
        local d = 7
        local i = 0
        loop(i < n) {
            local r = i % 7
            if r == 0 {
                a = (a + i) % 1000003
            } else if r < 3 {
                b = (b * 3 + i) % 999983
            } else if r == 3 {
                c = (c + i / 3 + r) % 65521
            } else {
                d = (d * 31 + i % 1000) % 1000033
            }
            if i % 3 == 0 { a = a + 1 }
            i = i + 1
        }
        print("int_loop(" + n + ") = " + a + " " + b + " " + c + " " + d)
    }
}
