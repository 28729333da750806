// finally runs on every way out: normal end, return, break, continue, caught and uncaught exceptions.
function viaReturn() {
    try { return "returned" } finally { print("finally after return") }
}
print(viaReturn())
local i = 0
loop(i < 4) {
    i = i + 1
    try {
        if i == 1 { continue }
        if i == 3 { break }
        print("body " + i)
    } finally {
        print("finally " + i)
    }
}
function nested() {
    try {
        try { throw "inner" } finally { print("inner finally") }
    } catch (e) {
        print("caught " + e.getMessage())
        return "from catch"
    } finally {
        print("outer finally")
    }
}
print(nested())
function replaced() {
    try { throw "lost" } finally { return "finally wins" }
}
print(replaced())
