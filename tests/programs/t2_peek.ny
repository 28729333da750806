// peek (Tier 2): literal patterns compared with ==, block arms in the current activation.
function describe(v) {
    return peek v {
        0 => "zero"
        -1 => "minus one"
        1.5 => "one and a half"
        "hi" => { local t = "greeting"; t + "!" }
        true => "yes"
        null => "nothing"
        else => "other: " + v
    }
}
print(describe(0) + ", " + describe(-1) + ", " + describe(1.5) + ", " + describe("hi"))
print(describe(true) + ", " + describe(void) + ", " + describe(7))
local i = 0
local seen = ""
loop(i < 10) {
    i = i + 1
    peek i % 4 {
        0 => { continue }
        3 => { if i > 6 { break } }
        else => 0
    }
    seen = seen + i
}
print(seen)
