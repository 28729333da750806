function sign(x) {
    local s
    if x < 0 {
        s = -1
    } else if x == 0 {
        s = 0
    } else {
        s = 1
    }
    return s
}
print(sign(-5))
