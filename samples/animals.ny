// Boxes with fields, constructors, delegation (`from`) and overriding.
box Animal {
    init { name, sound }

    birth(name, sound) {
        me.name = name
        me.sound = sound
    }

    speak() {
        return me.name + " says " + me.sound
    }

    describe() {
        return "an animal called " + me.name
    }
}

box Dog from Animal {
    init { tricks }

    birth(name) {
        from Animal.birth(name, "woof")
        me.tricks = new ArrayBox()
    }

    learn(trick) {
        me.tricks.push(trick)
        return me
    }

    override speak() {
        return from Animal.speak() + " and knows " + me.tricks.length() + " tricks"
    }
}

box Cat from Animal {
    birth(name) {
        from Animal.birth(name, "meow")
    }
}

local rex = new Dog("Rex")
rex.learn("sit").learn("roll over")
local animals = new ArrayBox()
animals.push(rex)
animals.push(new Cat("Tom"))
animals.push(new Animal("Generic", "..."))

local i = 0
loop(i < animals.length()) {
    local a = animals.get(i)
    print(a.speak() + " (" + a.describe() + ")")
    i = i + 1
}
print(rex)
print(rex.tricks)
