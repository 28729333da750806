function inRange(x, lo, hi) {
    return x >= lo and x <= hi
}
function either(a, b) {
    return a or b
}
print(inRange(3, 1, 5))
print(either(false, 0))
