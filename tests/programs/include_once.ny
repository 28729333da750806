// include (Tier 2): resolved against this file's folder, loaded once, statements run in place.
print("before")
include "lib/shapes.ny"
include "lib/shapes.ny"
print(new Square(7).area())
