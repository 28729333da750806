// Recursive Fibonacci: call overhead and integer arithmetic.
// Sizes: small 20, medium 27, large 38 (the runner substitutes N).
function fib(n) {
    if n < 2 { return n }
    return fib(n - 1) + fib(n - 2)
}

static box Main {
    main(args) {
        local n = 25
        if args.length() > 0 { n = args.get(0).toInteger() }
        print("fib(" + n + ") = " + fib(n))
    }
}
