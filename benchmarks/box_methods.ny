// box_methods: user boxes. Eight particles (half of them Spinners, which delegate to Particle with `from`)
// take turns to step: field reads and writes through `me`, method calls, an overridden method calling its
// parent's, and a `new Vec2` on every step. Size N: the number of steps.
// The same program is in box_methods.py and box_methods.c.
box Vec2 {
    init { x, y }

    birth(x, y) {
        me.x = x
        me.y = y
    }

    add(o) {
        return new Vec2((me.x + o.x) % 10007, (me.y + o.y) % 10007)
    }

    dot(o) {
        return me.x * o.x + me.y * o.y
    }
}

box Particle {
    init { pos, vel, hits }

    birth(pos, vel) {
        me.pos = pos
        me.vel = vel
        me.hits = 0
    }

    step() {
        me.pos = me.pos.add(me.vel)
        if me.pos.x % 2 == 0 { me.hits = me.hits + 1 }
        return me.pos.dot(me.vel) % 1009
    }
}

box Spinner from Particle {
    birth(pos, vel) {
        from Particle.birth(pos, vel)
    }

    override step() {
        me.vel = new Vec2(me.vel.y, me.vel.x)
        return from Particle.step() + 1
    }
}

static box Main {
    main(args) {
        local n = 3000
        if args.length() > 0 { n = args.get(0).toInteger() }
        local parts = new ArrayBox()
        local k = 0
        loop(k < 8) {
            local pos = new Vec2(k, k * 3)
            local vel = new Vec2(k + 1, 7 - k)
            if k % 2 == 0 { parts.push(new Particle(pos, vel)) } else { parts.push(new Spinner(pos, vel)) }
            k = k + 1
        }
        local acc = 0
        local i = 0
        loop(i < n) {
            acc = (acc + parts.get(i % 8).step()) % 1000003
            i = i + 1
        }
        local hits = 0
        local spread = 0
        k = 0
        loop(k < 8) {
            local p = parts.get(k)
            hits = hits + p.hits
            spread = spread + p.pos.x * 3 + p.pos.y
            k = k + 1
        }
        print("box_methods(" + n + ") = " + acc + " " + hits + " " + spread)
    }
}
