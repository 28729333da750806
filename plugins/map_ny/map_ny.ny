// MapBox supplied by plugins/map_ny through the Nyash ABI only (calls reach the plugin with no conversion).
// With plugins/map_ny/nyash.toml (found next to this file) `new MapBox()` makes the plugin's map; the
// output is the builtin MapBox's, key for key.
local stock = new MapBox()
stock.set("apple", 3)
stock.set("pear", 0)
stock.set("plum", 12)
stock.set("apple", stock.get("apple") + 2)
print(stock.delete("pear"))
print("keys: " + stock.keys() + " values: " + stock.values() + " size: " + stock.size())
print("has plum: " + stock.has("plum") + ", kiwi: " + stock.get("kiwi"))
stock.set(7, "seven")
print(stock.get("7") + " " + stock.containsValue(5) + " " + stock)
local names = stock.keys()
local i = 0
loop(i < names.length()) {
    print(names.get(i) + " = " + stock.get(names.get(i)))
    i = i + 1
}
