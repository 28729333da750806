// Calling methods and reading fields through links that may be void gives the spec's messages.
box Node {
    init { value, next }
    birth(value) { me.value = value }
    total() {
        if me.next == void { return me.value }
        return me.value + me.next.total()
    }
}
local a = new Node(1)
a.next = new Node(2)
a.next.next = new Node(3)
print(a.total())
try { print(a.next.next.next.total()) } catch (e) { print(e) }
try { print(a.next.next.next.value) } catch (e) { print(e) }
local n = null
try { n.total() } catch (e) { print(e) }
print(a.next.next.next.value)
