// The smallest Nyash program: a static box Main whose main() runs after the top level.
static box Main {
    main() {
        print("Hello, Nyash!")
    }
}
