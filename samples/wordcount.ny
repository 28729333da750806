// A small text-processing program: normalise, split, count and report words.
static box WordCounter {
    init { counts, order }

    static {
        me.counts = new MapBox()
        me.order = new ArrayBox()
    }

    add(word) {
        if word == "" { return void }
        if me.counts.has(word) {
            me.counts.set(word, me.counts.get(word) + 1)
        } else {
            me.counts.set(word, 1)
            me.order.push(word)
        }
    }

    report() {
        local i = 0
        loop(i < me.order.length()) {
            local w = me.order.get(i)
            print(w + ": " + me.counts.get(w))
            i = i + 1
        }
    }
}

local text = "The quick brown fox. The lazy dog!  The END, the end."
local lowered = text.toLower().replace(".", "").replace(",", "").replace("!", "")
local words = lowered.split(" ")
local i = 0
loop(i < words.length()) {
    WordCounter.add(words.get(i).trim())
    i = i + 1
}
WordCounter.report()
print("longest line is " + text.length() + " bytes; 'lazy' at " + text.indexOf("lazy"))
