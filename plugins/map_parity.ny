// MapBox parity (abi.md 7.3): the same output from the builtin MapBox and from the map_c, map_ny and
// map_unified plugins, in every mode. Keys are display strings; order is insertion order.
local m = new MapBox()
print(m.set("apple", 3))
print(m.set("pear", "green"))
print(m.set(1, "one"))
print(m.set(2.5, true))
print(m.set(true, 1.5))
print(m.set(0.1 + 0.2, "sum"))
print(m.set(100000000000000000000.0, "big"))
print(m.set(-0.0, "negative zero"))
print(m.set(null, "null key"))
print(m.size() + " " + m.length() + " " + m.len() + " " + m.isEmpty())

// values keep their types
print(m.get("apple") + m.get("apple"))
print(m.get("1") + " " + m.get(1) + " " + m.get(2.5) + " " + m.get("true") + " " + m.get("null"))
print(m.get("missing") + " | " + m.get(2))
print(m.has("pear") + " " + m.has("plum") + " " + m.containsKey(1) + " " + m.containsKey("2.5"))

// keys() is an ArrayBox: read its elements back
local ks = m.keys()
print("keys: " + ks.length())
local i = 0
loop(i < ks.length()) {
    local k = ks.get(i)
    print(i + ": " + k + " -> " + m.get(k))
    i = i + 1
}
print(m.values())

// delete, update in place, re-insert at the end
print(m.delete("pear") + " / " + m.delete("pear"))
print(m.set("apple", 4))
print(m.set("pear", "again"))
print(m.keys())
print(m.containsValue(4) + " " + m.containsValue(4.0) + " " + m.containsValue("again") + " " + m.containsValue(99))

// display, toString, equals (identity)
local other = new MapBox()
print(m + " " + m.toString() + " " + other + " " + m.equals(m) + " " + m.equals(other))

// a map inside a map
other.set("x", 10)
m.set("inner", other)
print(m.get("inner").get("x") + " " + m.get("inner") + " " + m.size())
other.set("y", 20)
print(m.get("inner"))

// a growing map keeps its order across rehashing
local big = new MapBox()
local n = 0
loop(n < 200) {
    big.set("k" + n, n * n)
    n = n + 1
}
n = 0
loop(n < 200) {
    if n % 3 == 0 { big.delete("k" + n) }
    n = n + 1
}
local bk = big.keys()
print(big.size() + " " + bk.get(0) + " " + bk.get(1) + " " + bk.get(bk.length() - 1) + " " + big.get("k199"))

print(m.clear() + " " + m.size() + " " + m.isEmpty() + " " + m.keys() + " " + m.values())
