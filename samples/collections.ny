// ArrayBox and MapBox: building, sorting, slicing, counting.
local nums = new ArrayBox()
local i = 10
loop(i > 0) {
    nums.push(i * 7 % 11)
    i = i - 1
}
print("numbers: " + nums)
nums.sort()
print("sorted:  " + nums)
print("first three: " + nums.slice(0, 3) + ", contains 5: " + nums.contains(5))
print("joined: " + nums.join("-"))

local stock = new MapBox()
stock.set("apple", 3)
stock.set("pear", 0)
stock.set("plum", 12)
stock.set("apple", stock.get("apple") + 2)
print(stock.delete("pear"))
print("keys: " + stock.keys() + " values: " + stock.values() + " size: " + stock.size())
print("has plum: " + stock.has("plum") + ", kiwi: " + stock.get("kiwi"))

local nested = new ArrayBox()
nested.push(nums.slice(0, 2))
nested.push(stock)
print(nested)
