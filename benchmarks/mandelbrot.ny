// mandelbrot: escape-time iteration over an N x N grid of the complex plane, at most 50 iterations a point.
// Measures Float arithmetic and tight nested loops. The checksum is integral (total iterations and the
// number of points that never escaped) so it does not depend on how Floats are printed.
// The Float operations are written in the same order in mandelbrot.py and mandelbrot.c.
static box Main {
    main(args) {
        local n = 24
        if args.length() > 0 { n = args.get(0).toInteger() }
        local maxIter = 50
        local total = 0
        local inside = 0
        local py = 0
        loop(py < n) {
            local ci = -1.5 + 3.0 * py / n
            local px = 0
            loop(px < n) {
                local cr = -2.0 + 3.0 * px / n
                local zr = 0.0
                local zi = 0.0
                local k = 0
                loop(k < maxIter) {
                    local zr2 = zr * zr
                    local zi2 = zi * zi
                    if zr2 + zi2 > 4.0 { break }
                    zi = 2.0 * zr * zi + ci
                    zr = zr2 - zi2 + cr
                    k = k + 1
                }
                total = total + k
                if k == maxIter { inside = inside + 1 }
                px = px + 1
            }
            py = py + 1
        }
        print("mandelbrot(" + n + ") = " + total + " " + inside)
    }
}
