// CounterBox (plugins/counter): a C-ABI plugin type declared "singleton": every `new` is the same box.
local c = new CounterBox()
print(c.inc())
print(c.inc())
local d = new CounterBox()
print("another new, the same counter: " + d.inc() + " " + c.get())
c.reset()
print("after reset: " + d.get())
local i = 0
loop(i < 1000) {
    c.inc()
    i = i + 1
}
print("after 1000 incs: " + d.get() + " " + c)
