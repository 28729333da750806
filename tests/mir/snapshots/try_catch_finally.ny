function safeDiv(a, b) {
    try {
        return a / b
    } catch (e) {
        print("caught: " + e)
    } finally {
        print("done")
    }
    return 0
}
print(safeDiv(6, 0))
