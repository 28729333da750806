// chip8: a CHIP-8-like toy machine. Every step draws a 16-bit opcode from an LCG and runs it through a long
// if/else-if dispatch chain over 16 byte registers (an ArrayBox), an index register and 4096 bytes of memory.
// Measures branchy integer code and ArrayBox get/set. Size N: the number of steps.
// The same program is in chip8.py and chip8.c.
static box Main {
    main(args) {
        local n = 5000
        if args.length() > 0 { n = args.get(0).toInteger() }
        local v = new ArrayBox()
        local k = 0
        loop(k < 16) {
            v.push(0)
            k = k + 1
        }
        local mem = new ArrayBox()
        k = 0
        loop(k < 4096) {
            mem.push(k % 251)
            k = k + 1
        }
        local seed = 12345
        local ireg = 0
        local acc = 0
        local skips = 0
        local step = 0
        loop(step < n) {
            step = step + 1
            seed = (seed * 1103515245 + 12345) % 2147483648
            local opcode = seed / 32768
            local op = opcode / 4096
            local x = opcode / 256 % 16
            local y = opcode / 16 % 16
            local nn = opcode % 256
            if op == 0 {
                v.set(x, nn)
            } else if op == 1 {
                v.set(x, (v.get(x) + nn) % 256)
            } else if op == 2 {
                v.set(x, v.get(y))
            } else if op == 3 {
                local sum = v.get(x) + v.get(y)
                v.set(x, sum % 256)
                v.set(15, sum / 256)
            } else if op == 4 {
                local vx = v.get(x)
                local vy = v.get(y)
                if vx >= vy {
                    v.set(x, vx - vy)
                    v.set(15, 1)
                } else {
                    v.set(x, vx - vy + 256)
                    v.set(15, 0)
                }
            } else if op == 5 {
                // skip the next instruction: its opcode is drawn and thrown away
                if v.get(x) % 16 == nn % 16 {
                    seed = (seed * 1103515245 + 12345) % 2147483648
                    skips = skips + 1
                }
            } else if op == 6 {
                if v.get(x) < v.get(y) {
                    seed = (seed * 1103515245 + 12345) % 2147483648
                    skips = skips + 1
                }
            } else if op == 7 {
                ireg = (ireg + v.get(x) + nn) % 4096
            } else if op == 8 {
                local vx = v.get(x)
                v.set(15, vx % 2)
                v.set(x, vx / 2)
            } else if op == 9 {
                local vx = v.get(x)
                v.set(15, vx / 128)
                v.set(x, vx * 2 % 256)
            } else if op == 10 {
                v.set(x, (v.get(x) * 3 + v.get(y) + 1) % 256)
            } else if op == 11 {
                mem.set(ireg, v.get(x))
                ireg = (ireg + 1) % 4096
            } else if op == 12 {
                v.set(x, mem.get((ireg + nn) % 4096))
            } else if op == 13 {
                acc = (acc + v.get(x) * v.get(y) + nn) % 1000007
            } else if op == 14 {
                // "draw" a four-row sprite: fold four memory bytes into the accumulator
                local row = 0
                loop(row < 4) {
                    acc = (acc + mem.get((ireg + row) % 4096) * (row + 1)) % 1000007
                    row = row + 1
                }
            } else {
                v.set(x, (ireg + nn) % 256)
            }
        }
        local regs = 0
        k = 0
        loop(k < 16) {
            regs = regs + v.get(k) * (k + 1)
            k = k + 1
        }
        local memsum = 0
        k = 0
        loop(k < 4096) {
            memsum = (memsum + mem.get(k) * (k % 7 + 1)) % 1000007
            k = k + 1
        }
        print("chip8(" + n + ") = " + acc + " " + ireg + " " + regs + " " + memsum + " " + skips)
    }
}
