"""Experiment behind the VM's design (README, "How the VM works"): how fast can a register-VM dispatch loop
written in Python run fib, next to CPython running fib directly? Run: python benchmarks/experiments/dispatch_loop.py
"""
import time, sys
sys.setrecursionlimit(100000)
LT, SUB, ADD, CALL, BR, RET, CONST = range(7)
# fib(n): r0 = n
code = [
    (CONST, 1, 2, 0),      # r1 = 2
    (LT, 2, 0, 1),         # r2 = r0 < r1
    (BR, 2, 8, 3),         # if r2 goto 8 else 3
    (CONST, 3, 1, 0),      # r3 = 1
    (SUB, 4, 0, 3),        # r4 = r0 - r3
    (CALL, 5, 4, 0),       # r5 = fib(r4)
    (CONST, 3, 2, 0),
    (SUB, 4, 0, 3), ]
code += [(CALL, 6, 4, 0), (ADD, 7, 5, 6), (RET, 7, 0, 0)]
code[2] = (BR, 2, 11, 3)
code.append((RET, 0, 0, 0))
def run(n):
    regs = [n, 0, 0, 0, 0, 0, 0, 0]
    pc = 0
    while True:
        op, a, b, c = code[pc]
        if op == CONST: regs[a] = b; pc += 1
        elif op == LT: regs[a] = regs[b] < regs[c]; pc += 1
        elif op == BR: pc = b if regs[a] else c
        elif op == SUB: regs[a] = regs[b] - regs[c]; pc += 1
        elif op == ADD: regs[a] = regs[b] + regs[c]; pc += 1
        elif op == CALL: regs[a] = run(regs[b]); pc += 1
        elif op == RET: return regs[a]
def fib(n):
    return n if n < 2 else fib(n-1) + fib(n-2)
for f in (run, fib):
    t = time.perf_counter(); r = f(25); print(f.__name__, r, round(time.perf_counter() - t, 3))
