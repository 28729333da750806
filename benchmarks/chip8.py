"""chip8: the CPython twin of chip8.ny (size N: machine steps; all values stay non-negative)."""
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    v = [0] * 16
    mem = [k % 251 for k in range(4096)]
    seed = 12345
    ireg = acc = skips = 0
    step = 0
    while step < n:
        step += 1
        seed = (seed * 1103515245 + 12345) % 2147483648
        opcode = seed // 32768
        op = opcode // 4096
        x = opcode // 256 % 16
        y = opcode // 16 % 16
        nn = opcode % 256
        if op == 0:
            v[x] = nn
        elif op == 1:
            v[x] = (v[x] + nn) % 256
        elif op == 2:
            v[x] = v[y]
        elif op == 3:
            total = v[x] + v[y]
            v[x] = total % 256
            v[15] = total // 256
        elif op == 4:
            vx = v[x]
            vy = v[y]
            if vx >= vy:
                v[x] = vx - vy
                v[15] = 1
            else:
                v[x] = vx - vy + 256
                v[15] = 0
        elif op == 5:
            if v[x] % 16 == nn % 16:
                seed = (seed * 1103515245 + 12345) % 2147483648
                skips += 1
        elif op == 6:
            if v[x] < v[y]:
                seed = (seed * 1103515245 + 12345) % 2147483648
                skips += 1
        elif op == 7:
            ireg = (ireg + v[x] + nn) % 4096
        elif op == 8:
            vx = v[x]
            v[15] = vx % 2
            v[x] = vx // 2
        elif op == 9:
            vx = v[x]
            v[15] = vx // 128
            v[x] = vx * 2 % 256
        elif op == 10:
            v[x] = (v[x] * 3 + v[y] + 1) % 256
        elif op == 11:
            mem[ireg] = v[x]
            ireg = (ireg + 1) % 4096
        elif op == 12:
            v[x] = mem[(ireg + nn) % 4096]
        elif op == 13:
            acc = (acc + v[x] * v[y] + nn) % 1000007
        elif op == 14:
            row = 0
            while row < 4:
                acc = (acc + mem[(ireg + row) % 4096] * (row + 1)) % 1000007
                row += 1
        else:
            v[x] = (ireg + nn) % 256
    regs = sum(v[k] * (k + 1) for k in range(16))
    memsum = 0
    for k in range(4096):
        memsum = (memsum + mem[k] * (k % 7 + 1)) % 1000007
    print(f"chip8({n}) = {acc} {ireg} {regs} {memsum} {skips}")


if __name__ == "__main__":
    main()
