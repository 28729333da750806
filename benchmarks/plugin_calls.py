"""plugin_calls: the CPython twin of plugin_calls.ny (size N: loop trips). The two plugin calls are method
calls on plain objects: a counter's inc() and an echo()."""
import sys


class Counter:
    def __init__(self):
        self.value = 0

    def inc(self):
        self.value += 1
        return self.value

    def get(self):
        return self.value


class Fixture:
    def echo(self, v):
        return v


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    counter = Counter()
    fx = Fixture()
    acc = 0
    i = 0
    while i < n:
        acc = (acc + counter.inc() * 3 + fx.echo(i % 1000)) % 1000003
        i += 1
    print(f"plugin_calls({n}) = {acc} {counter.get()}")


if __name__ == "__main__":
    main()
