// StringBox methods; lengths count UTF-8 bytes, substring counts characters.
local s = "Hello, Wörld"
print(s.length() + " bytes, upper " + s.toUpper() + ", lower " + s.toLower())
print(s.substring(0, 5) + "|" + s.substring(7) + "|" + s.get(8))
print(s.indexOf("W") + " " + s.contains("ö") + " " + s.startsWith("Hell") + " " + s.endsWith("x"))
print("a,b,,c".split(","))
print("  padded  ".trim() + "!")
print("ab" * 3 + " " + "x".concat(42) + " " + "  17 ".toInteger() * 2)

function reverse(text) {
    local out = ""
    local i = text.length() - 1
    loop(i >= 0) {
        out = out + text.get(i)
        i = i - 1
    }
    return out
}
print(reverse("stressed"))
