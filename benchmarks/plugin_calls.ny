// plugin_calls: plugin method calls in a loop. CounterBox.inc() goes through the C-ABI bridge and
// FixtureBox.echo(v) through the Nyash ABI (plugins/counter, plugins/fixture; they must be built, see
// nyash.toml at the repository root, which is found when this runs from there). Size N: loop trips, two
// plugin calls each. The same work is in plugin_calls.py and plugin_calls.c, with plain function calls.
static box Main {
    main(args) {
        local n = 3000
        if args.length() > 0 { n = args.get(0).toInteger() }
        local counter = new CounterBox()
        counter.reset()
        local fx = new FixtureBox()
        local acc = 0
        local i = 0
        loop(i < n) {
            acc = (acc + counter.inc() * 3 + fx.echo(i % 1000)) % 1000003
            i = i + 1
        }
        print("plugin_calls(" + n + ") = " + acc + " " + counter.get())
    }
}
