function oddSum(limit) {
    local i = 0
    local sum = 0
    loop {
        i = i + 1
        if i % 2 == 0 { continue }
        if i > limit { break }
        sum = sum + i
    }
    return sum
}
print(oddSum(7))
