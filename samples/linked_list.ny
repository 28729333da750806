// A linked list of user boxes; void marks the end.
box Node {
    init { value, next }

    birth(value) {
        me.value = value
    }
}

box List {
    init { head, size }

    birth() {
        me.size = 0
    }

    prepend(value) {
        local node = new Node(value)
        node.next = me.head
        me.head = node
        me.size = me.size + 1
        return me
    }

    toArray() {
        local out = new ArrayBox()
        local cur = me.head
        loop(cur != void) {
            out.push(cur.value)
            cur = cur.next
        }
        return out
    }

    reversed() {
        local result = new List()
        local cur = me.head
        loop(cur != void) {
            result.prepend(cur.value)
            cur = cur.next
        }
        return result
    }
}

local list = new List()
list.prepend(3).prepend(2).prepend(1)
print(list.toArray() + " size " + list.size)
print(list.reversed().toArray())
