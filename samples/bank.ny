// A bank account with a static registry; Main.main's return value becomes the exit status.
box Account {
    init { owner, balance }

    birth(owner) {
        me.owner = owner
        me.balance = 0
    }

    deposit(amount) {
        if amount <= 0 { throw "deposit must be positive" }
        me.balance = me.balance + amount
        return me.balance
    }

    withdraw(amount) {
        if amount > me.balance { throw me.owner + " cannot withdraw " + amount }
        me.balance = me.balance - amount
        return me.balance
    }
}

static box Bank {
    init { accounts }

    static { me.accounts = new MapBox() }

    open(owner) {
        local acct = new Account(owner)
        me.accounts.set(owner, acct)
        return acct
    }

    total() {
        local sum = 0
        local names = me.accounts.keys()
        local i = 0
        loop(i < names.length()) {
            sum = sum + me.accounts.get(names.get(i)).balance
            i = i + 1
        }
        return sum
    }
}

static box Main {
    main() {
        local alice = Bank.open("alice")
        local bob = Bank.open("bob")
        alice.deposit(100)
        bob.deposit(25)
        try {
            bob.withdraw(50)
        } catch (e) {
            print("refused: " + e.getMessage())
        }
        alice.withdraw(30)
        print("alice " + alice.balance + ", bob " + bob.balance + ", total " + Bank.total())
        return 0
    }
}
