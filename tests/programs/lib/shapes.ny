print("shapes loaded")
box Square {
    init { side }
    birth(side) { me.side = side }
    area() { return me.side * me.side }
}
