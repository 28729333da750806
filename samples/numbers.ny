// Integers wrap at 64 bits, division truncates, floats print their shortest form.
print(7 / 2 + " " + -7 / 2 + " " + 7 % 3 + " " + -7 % 3)
print(9223372036854775807 + 1)
print(0.1 + 0.2)
print(1.0 / 3.0)
print(2.5 * 4 + " " + 1 / 4.0 + " " + 10 % 3.5)
local m = new MathBox()
print(m.sqrt(2) + " " + m.pow(2, 10) + " " + m.round(2.5) + " " + m.floor(-1.5) + " " + m.abs(-3))
print(3.7.floor() + " " + 3.2.ceil() + " " + (1 == 1.0) + " " + (2 < 2.5))
