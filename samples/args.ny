// Main.main(args) receives the command-line arguments as an ArrayBox of Strings.
static box Main {
    main(args) {
        print("got " + args.length() + " arguments: " + args)
        local i = 0
        loop(i < args.length()) {
            print(i + ": " + args.get(i))
            i = i + 1
        }
        return args.length()
    }
}
