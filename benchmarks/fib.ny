// fib: recursive Fibonacci. Measures call overhead, argument passing and Int addition.
// Size N: prints fib(N). The same program is in fib.py and fib.c.
function fib(n) {
    if n < 2 { return n }
    return fib(n - 1) + fib(n - 2)
}

static box Main {
    main(args) {
        local n = 20
        if args.length() > 0 { n = args.get(0).toInteger() }
        print("fib(" + n + ") = " + fib(n))
    }
}
