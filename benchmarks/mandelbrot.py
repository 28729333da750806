"""mandelbrot: the CPython twin of mandelbrot.ny (size N: an N x N grid; same Float operation order)."""
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 24
    max_iter = 50
    total = inside = 0
    py = 0
    while py < n:
        ci = -1.5 + 3.0 * py / n
        px = 0
        while px < n:
            cr = -2.0 + 3.0 * px / n
            zr = 0.0
            zi = 0.0
            k = 0
            while k < max_iter:
                zr2 = zr * zr
                zi2 = zi * zi
                if zr2 + zi2 > 4.0:
                    break
                zi = 2.0 * zr * zi + ci
                zr = zr2 - zi2 + cr
                k += 1
            total += k
            if k == max_iter:
                inside += 1
            px += 1
        py += 1
    print(f"mandelbrot({n}) = {total} {inside}")


if __name__ == "__main__":
    main()
