box Counter {
    init { count }

    birth(start) {
        me.count = start
    }

    bump(step) {
        me.count = me.count + step
        return me.count
    }
}
local c = new Counter(1)
print(c.bump(2))
