// Int wraparound and truncation, Int/Float mixing, in loops the VM specialises.
function accumulate(n) {
    local s = 9223372036854775800
    local i = 0
    loop(i < n) {
        s = s + i
        i = i + 1
    }
    return s
}
print(accumulate(5))
print(accumulate(10))
function mix(k) {
    local f = 0.5
    local j = 0
    loop(j < k) {
        f = f * 2 + j
        j = j + 1
    }
    return f
}
print(mix(4))
local d = -7
print(d / 2 + " " + d % 2 + " " + (d - 1) / -4 + " " + 7 % -3)
print(-9223372036854775807 - 1)
print((0 - 9223372036854775807 - 1) / -1)
