// Postfix ? (Tier 2): Ok unwraps, Err returns the same ResultBox at once; finally still runs.
function parse(text) {
    local n = text.toInteger()
    if n == 0 and text != "0" { return Result.Err("not a number: " + text) }
    return Result.Ok(n)
}
function sum(a, b) {
    try {
        return Result.Ok(parse(a)? + parse(b)?)
    } finally {
        print("summed " + a + " and " + b)
    }
}
print(sum("2", "40"))
print(sum("2", "x"))
local r = sum("x", "y")
print(r.isErr() + " " + r.getError())
