// Error handling: try / catch / finally, throw, and runtime errors as ErrorBox values.
function safeDivide(a, b) {
    try {
        return a / b
    } catch (e) {
        print("caught: " + e.getMessage())
        return 0
    } finally {
        print("divided " + a + " by " + b)
    }
}

print(safeDivide(10, 2))
print(safeDivide(1, 0))

function validate(age) {
    if age < 0 { throw "age must not be negative, got " + age }
    return age
}

try {
    validate(30)
    validate(-1)
    print("not reached")
} catch (Error e) {
    print(e)
}

local results = new ArrayBox()
local inputs = new ArrayBox()
inputs.push("12")
inputs.push("x")
inputs.push("-4")
local i = 0
loop(i < inputs.length()) {
    try {
        results.push(new IntegerBox(inputs.get(i)))
    } catch (e) {
        results.push(e)
    }
    i = i + 1
}
print(results)
