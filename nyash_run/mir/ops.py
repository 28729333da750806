"""The MIR instruction set, declared once.

In: nothing. Out: `Op` descriptors and the `OPS` table; the opcode enum, the printer, the verifier and every
backend's lowering are derived from these lines (a backend lacking a lowering for an op fails a test).

Each op is one line: its result (`dst` or nothing), its operands, and its meaning. Operand notation:
`name` is an SSA value, `$name` an immediate (a Python constant stored in the instruction), `name*` zero or
more SSA values (always last). Terminators end a block; their block targets are kept apart from operands
(`Instr.targets`, each a block and the values passed to its parameters).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Op:
    result: str                      # "dst" or ""
    operands: str                    # e.g. "$op lhs rhs" or "$name recv args*"
    meaning: str
    may_raise: bool = False          # may end in a Nyash error or exception (needs a span)
    terminator: bool = False
    targets: int = 0                 # number of successor blocks of a terminator
    pure: bool = False               # no side effect: removable when its result is unused
    fields: tuple = field(init=False, default=())

    def __post_init__(self) -> None:
        parsed = []
        for word in self.operands.split():
            if word.startswith("$"):
                parsed.append((word[1:], "imm"))
            elif word.endswith("*"):
                parsed.append((word[:-1], "values"))
            else:
                parsed.append((word, "value"))
        object.__setattr__(self, "fields", tuple(parsed))

    @property
    def has_result(self) -> bool:
        return self.result == "dst"


OPS: dict[str, Op] = {
    # values and operators -------------------------------------------------------------------------------
    "CONST": Op("dst", "$value", "dst := the literal (Int, Float, String, Bool, NULL, void or UNBOUND)", pure=True),
    "BINOP": Op("dst", "$op lhs rhs", "dst := runtime.BINARY_OPS[op](lhs, rhs)", may_raise=True),
    "UNOP": Op("dst", "$op operand", "dst := runtime neg (op '-') or not_ (op 'not') of operand", may_raise=True),
    "TRUTHY": Op("dst", "value", "dst := runtime.truthy(value), a Bool", pure=True),
    "CHECK_BOUND": Op("dst", "$name value", "dst := value; error Undefined variable 'name' if it is UNBOUND",
                      may_raise=True),
    # variables --------------------------------------------------------------------------------------------
    "GET_NAME": Op("dst", "$name", "dst := global name, else static box name's singleton, else error",
                   may_raise=True),
    "GET_GLOBAL_SOFT": Op("dst", "$name", "dst := global name, or void when it does not exist"),
    "SET_GLOBAL": Op("", "$name value", "global name := value"),
    "LOCAL_GET": Op("dst", "$slot", "dst := the slot-backed local (functions with try keep locals in slots)"),
    "LOCAL_SET": Op("", "$slot value", "slot-backed local := value"),
    # objects ------------------------------------------------------------------------------------------------
    "SINGLETON": Op("dst", "$box", "dst := static box's singleton, initialised on first use (§5.5)",
                    may_raise=True),
    "GET_FIELD": Op("dst", "$name obj", "dst := obj.name (instances and singletons only)", may_raise=True),
    "SET_FIELD": Op("", "$name obj value", "obj.name := value (creates the field)", may_raise=True),
    "NEW": Op("dst", "$box args*", "dst := new box(args): user box with constructor, or builtin", may_raise=True),
    "CONSTRUCT": Op("dst", "$box $ctor args*",
                    "dst := new instance of user box `box`, then constructor function `ctor` (resolved when "
                    "compiling; '' for none) run on it", may_raise=True),
    "MAKE_RESULT": Op("dst", "$ok value", "dst := Result.Ok(value) if ok else Result.Err(value)", pure=True),
    # calls (each user call is depth-checked: 10,000 active calls, §3.4) -----------------------------------
    "CALL": Op("dst", "$func args*", "dst := the known function func(args); arity already checked",
               may_raise=True),
    "CALL_KNOWN_METHOD": Op("dst", "$func recv args*",
                            "dst := method func (resolved when compiling: recv's box is known) run with me=recv",
                            may_raise=True),
    "EXPECT_INSTANCE": Op("dst", "$method value",
                          "dst := value if it is a user instance, else the error calling `method` on it gives",
                          may_raise=True),
    "CALL_METHOD": Op("dst", "$name recv args*", "dst := recv.name(args): user method or builtin method",
                      may_raise=True),
    "CALL_BARE": Op("dst", "$name me fvar args*",
                    "dst := me.name(args) if me has that method, else fvar(args) for a FunctionBox, else error",
                    may_raise=True),
    "FROM_CALL": Op("dst", "$parent $name me args*",
                    "dst := parent's method name (or constructor for birth/init/pack) run with me", may_raise=True),
    # output and exceptions ----------------------------------------------------------------------------------
    "PRINT": Op("", "value", "write display(value) and a newline to stdout"),
    "EXC_VALUE": Op("dst", "exc", "dst := the ErrorBox of caught exception exc", pure=True),
    "RESULT_OK": Op("dst", "value", "dst := value.isOk() for a ResultBox; error '?' expects a ResultBox",
                    may_raise=True),
    "RESULT_VALUE": Op("dst", "value", "dst := the payload of a ResultBox", pure=True),
    # terminators --------------------------------------------------------------------------------------------
    "JUMP": Op("", "", "go to target", terminator=True, targets=1),
    "BRANCH": Op("", "cond", "go to the first target if Bool cond is true, else the second",
                 terminator=True, targets=2),
    "RETURN": Op("", "value", "leave the function with value", terminator=True),
    "THROW": Op("", "value", "throw value (an ErrorBox as is, else ErrorBox(display(value)))",
                may_raise=True, terminator=True),
    "RETHROW": Op("", "exc", "raise caught exception exc again, unchanged", may_raise=True, terminator=True),
    "RAISE": Op("", "$message", "runtime error message at this instruction's span", may_raise=True,
                terminator=True),
}

Opcode = enum.Enum("Opcode", {name: name for name in OPS})
