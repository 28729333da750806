// string_build: a text buffer grown by concatenation, searched with indexOf and cut with substring.
// Words are chosen by an LCG; the buffer is cut back to its last 120 characters whenever it passes 240, so
// every step costs about the same and the total is linear in N. ASCII only, so byte offsets (indexOf) and
// character indices (substring) agree. Size N: the number of words appended.
// The same program is in string_build.py and string_build.c.
static box Main {
    main(args) {
        local n = 3000
        if args.length() > 0 { n = args.get(0).toInteger() }
        local words = new ArrayBox()
        words.push("alpha")
        words.push("beta")
        words.push("gamma")
        words.push("delta")
        words.push("epsilon")
        words.push("zeta")
        words.push("eta")
        words.push("theta")
        local buf = ""
        local tail = ""
        local seed = 42
        local found = 0
        local total = 0
        local i = 0
        loop(i < n) {
            seed = (seed * 1103515245 + 12345) % 2147483648
            buf = buf + words.get(seed / 65536 % 8) + ","
            if buf.length() > 240 {
                buf = buf.substring(buf.length() - 120)
            }
            local key = words.get(seed / 8192 % 8)
            local p = buf.indexOf(key)
            if p >= 0 {
                found = found + 1
                total = (total + p) % 1000003
                local q = buf.indexOf(key, p + 1)
                if q >= 0 { total = (total + q * 3) % 1000003 }
                tail = tail + buf.substring(p, p + 2)
                if tail.length() > 60 { tail = tail.substring(30) }
            }
            i = i + 1
        }
        print("string_build(" + n + ") = " + found + " " + total + " " + buf.length() + " [" + tail + "]")
    }
}
