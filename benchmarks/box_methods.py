"""box_methods: the CPython twin of box_methods.ny (size N: particle steps; plain classes, Spinner
inherits from Particle and calls super().step())."""
import sys


class Vec2:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, o):
        return Vec2((self.x + o.x) % 10007, (self.y + o.y) % 10007)

    def dot(self, o):
        return self.x * o.x + self.y * o.y


class Particle:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel
        self.hits = 0

    def step(self):
        self.pos = self.pos.add(self.vel)
        if self.pos.x % 2 == 0:
            self.hits = self.hits + 1
        return self.pos.dot(self.vel) % 1009


class Spinner(Particle):
    def step(self):
        self.vel = Vec2(self.vel.y, self.vel.x)
        return super().step() + 1


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    parts = []
    for k in range(8):
        pos = Vec2(k, k * 3)
        vel = Vec2(k + 1, 7 - k)
        parts.append(Particle(pos, vel) if k % 2 == 0 else Spinner(pos, vel))
    acc = 0
    i = 0
    while i < n:
        acc = (acc + parts[i % 8].step()) % 1000003
        i += 1
    hits = sum(p.hits for p in parts)
    spread = sum(p.pos.x * 3 + p.pos.y for p in parts)
    print(f"box_methods({n}) = {acc} {hits} {spread}")


if __name__ == "__main__":
    main()
