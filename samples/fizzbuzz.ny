// FizzBuzz with if / else if chains and a loop.
local i = 1
loop(i <= 15) {
    if i % 15 == 0 {
        print("FizzBuzz")
    } else if i % 3 == 0 {
        print("Fizz")
    } else if i % 5 == 0 {
        print("Buzz")
    } else {
        print(i)
    }
    i = i + 1
}
