// Recursive Fibonacci and an iterative check.
function fib(n) {
    if n < 2 { return n }
    return fib(n - 1) + fib(n - 2)
}

function fibLoop(n) {
    local a = 0
    local b = 1
    local i = 0
    loop(i < n) {
        local t = a + b
        a = b
        b = t
        i = i + 1
    }
    return a
}

local n = 0
loop(n <= 20) {
    if n % 5 == 0 {
        print("fib(" + n + ") = " + fib(n) + " / " + fibLoop(n))
    }
    n = n + 1
}
print("fib(90) = " + fibLoop(90))
