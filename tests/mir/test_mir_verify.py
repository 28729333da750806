"""The MIR verifier, one rule at a time: each test breaks a small hand-built function in one way and checks
the verifier names the problem (and that the untouched function passes)."""
from __future__ import annotations

import random

import pytest

from nyash_run.mir.ir import Block, ClassInfo, Function, Instr, Module
from nyash_run.mir.ops import OPS
from nyash_run.mir.verify import MirError, verify_errors, verify_function, verify_module


# ------------------------------------------------------------------------------------------------ helpers
def new_function(nparams: int = 1, kind: str = "function", name: str = "f") -> Function:
    fn = Function(name=name, kind=kind, label=name)
    if kind in ("method", "constructor", "static_init"):
        fn.self_value = fn.new_value("me")
    fn.params = [fn.new_value() for _ in range(nparams)]
    return fn


def emit(fn: Function, block: Block, name: str, *args, targets=None) -> Instr:
    instr = Instr(name, None, list(args), None, targets)
    if instr.op.has_result:
        instr.dst = fn.new_value()
    block.instrs.append(instr)
    return instr


def diamond() -> Function:
    """f(%0): bb0 branches on %0 to bb1 (passes a constant) and bb2 (passes %0); bb3(%p) returns %p."""
    fn = new_function()
    entry, then, other, join = (fn.new_block(label) for label in ("entry", "then", "else", "join"))
    join.params = [fn.new_value("p")]
    cond = emit(fn, entry, "TRUTHY", fn.params[0]).dst
    emit(fn, entry, "BRANCH", cond, targets=[(then, []), (other, [])]).merge = join
    one = emit(fn, then, "CONST", 1).dst
    emit(fn, then, "JUMP", targets=[(join, [one])])
    emit(fn, other, "JUMP", targets=[(join, [fn.params[0]])])
    emit(fn, join, "RETURN", join.params[0])
    return fn


def problem(fn: Function, module: Module | None = None) -> str:
    """The verifier's first complaint, which must also be what verify_function raises."""
    with pytest.raises(MirError) as caught:
        verify_function(fn, module)
    return str(caught.value)


def with_handler(fn: Function, protected: Block) -> Block:
    """Give `protected` a fresh handler block (one parameter, the exception) that returns it."""
    handler = fn.new_block("catch")
    handler.params = [fn.new_value("exc")]
    protected.handler = handler
    return handler


# ------------------------------------------------------------------------------------------ the baseline
def test_well_formed_function_passes():
    fn = diamond()
    verify_function(fn)
    assert verify_errors(fn) == []


def test_problem_message_names_function_block_and_instruction():
    fn = diamond()
    emit(fn, fn.blocks[1], "PRINT", fn.params[0])              # after the jump
    assert problem(fn) == "f, bb1, instruction 1 (jump bb3(%3)): terminator before the end of the block"


# ------------------------------------------------------------------------------------- blocks and ends
def test_function_without_blocks_is_rejected():
    assert problem(new_function()) == "f: function has no blocks"


def test_empty_block_is_rejected():
    fn = diamond()
    fn.blocks[2].instrs.clear()
    assert problem(fn) == "f, bb2: block is empty"


def test_block_must_end_with_a_terminator():
    fn = diamond()
    fn.blocks[3].instrs.pop()
    emit(fn, fn.blocks[3], "PRINT", fn.blocks[3].params[0])
    assert problem(fn).endswith("bb3, instruction 0 (print %1): block does not end with a terminator")


def test_terminator_in_the_middle_of_a_block_is_rejected():
    fn = diamond()
    join = fn.blocks[3]
    join.instrs.insert(0, Instr("RETURN", None, [join.params[0]]))
    assert problem(fn).endswith("bb3, instruction 0 (return %1): terminator before the end of the block")


def test_block_ids_must_be_unique():
    fn = diamond()
    fn.blocks[2].id = 1
    assert "block id used by two blocks" in problem(fn)


# ---------------------------------------------------------------------------------------------- operands
def test_operand_count_must_match_the_op():
    fn = diamond()
    fn.blocks[0].instrs[0].args.append(fn.params[0])
    assert problem(fn).endswith("instruction 0 (%2 = truthy %0, %0): expects 1 operands (value), got 2")


def test_variadic_op_still_needs_its_fixed_operands():
    fn = diamond()
    fn.blocks[1].instrs[0] = Instr("CALL", fn.blocks[1].instrs[0].dst, [])
    assert problem(fn).endswith("expects at least 1 operands ($func args*), got 0")


def test_immediate_operand_must_not_be_a_value():
    fn = diamond()
    fn.blocks[1].instrs[0].args = [fn.params[0]]
    assert problem(fn).endswith("operand 0 (value) must be an immediate, got %0")


def test_value_operand_must_be_a_value():
    fn = diamond()
    fn.blocks[0].instrs[0].args = [True]
    assert problem(fn).endswith("operand 0 (value) must be a value, got True")


def test_variadic_operands_must_be_values():
    fn = diamond()
    then = fn.blocks[1]
    then.instrs[0] = Instr("NEW", then.instrs[0].dst, ["ArrayBox", fn.params[0], 7])
    assert problem(fn).endswith("operand 2 (args) must be a value, got 7")


def test_op_with_a_result_must_define_one():
    fn = diamond()
    fn.blocks[1].instrs[0].dst = None
    assert "the op has a result but the instruction defines none" in problem(fn)


def test_op_without_a_result_must_not_define_one():
    fn = diamond()
    fn.blocks[3].instrs[0].dst = fn.new_value()
    assert problem(fn).endswith("(%4 = return %1): the op has no result but the instruction defines %4")


def test_instruction_op_must_match_its_name():
    fn = diamond()
    fn.blocks[1].instrs[0].name = "TRUTHY"
    assert "op 'TRUTHY' does not match its descriptor" in problem(fn)


# ----------------------------------------------------------------------------------------------- targets
def test_terminator_needs_as_many_targets_as_its_op():
    fn = diamond()
    fn.blocks[0].instrs[-1].targets.pop()
    assert problem(fn).endswith("(branch %2, bb1  ; join bb3): expects 2 targets, got 1")


def test_non_terminator_has_no_targets():
    fn = diamond()
    fn.blocks[0].instrs[0].targets = [(fn.blocks[1], [])]
    assert "expects 0 targets, got 1" in problem(fn)


def test_target_must_be_a_block_of_the_function():
    fn = diamond()
    stranger = Block(9)
    stranger.instrs.append(Instr("RETURN", None, [fn.params[0]]))
    fn.blocks[2].instrs[-1].targets = [(stranger, [])]
    assert problem(fn).endswith("target bb9 is not a block of this function")


def test_jump_passes_one_argument_per_target_parameter():
    fn = diamond()
    fn.blocks[2].instrs[-1].targets[0][1].append(fn.params[0])
    assert problem(fn).endswith("passes 2 arguments to bb3, which has 1 parameters")


def test_jump_argument_must_be_a_value():
    fn = diamond()
    fn.blocks[2].instrs[-1].targets[0][1][0] = None     # an unfilled phi argument
    assert problem(fn).endswith("argument 0 passed to bb3 is not a value: None")


# --------------------------------------------------------------------------------------- hints and entry
def test_join_hint_must_be_a_block_of_the_function():
    fn = diamond()
    fn.blocks[0].instrs[-1].merge = Block(7)
    assert problem(fn).endswith("join hint bb7 is not a block of this function")


def test_loop_exit_hint_must_be_a_block_of_the_function():
    fn = diamond()
    fn.blocks[1].loop_exit = Block(8)
    assert problem(fn) == "f, bb1: loop exit bb8 is not a block of this function"


def test_entry_block_has_no_parameters():
    fn = diamond()
    fn.entry.params.append(fn.new_value())
    assert problem(fn) == "f, bb0: the entry block has parameters"


def test_entry_block_has_no_predecessors():
    fn = diamond()
    join = fn.blocks[3]
    join.instrs[-1] = Instr("JUMP", None, [], targets=[(fn.entry, [])])
    assert problem(fn) == "f, bb0: the entry block has a predecessor, bb3"


def test_method_needs_a_me_value_and_a_function_has_none():
    method = diamond()
    method.kind = "method"
    assert problem(method) == "f: a method lacks a `me` value (self_value)"
    function = diamond()
    function.self_value = function.new_value("me")
    assert problem(function) == "f: a function has a `me` value (self_value)"


# ------------------------------------------------------------------------------------------------ handlers
def test_handler_block_has_exactly_one_parameter():
    fn = diamond()
    handler = with_handler(fn, fn.blocks[1])
    emit(fn, handler, "RETHROW", handler.params[0])
    handler.params.append(fn.new_value())
    assert problem(fn) == "f, bb1: handler bb4 has 2 parameters, expected 1 (the exception)"


def test_handler_must_be_a_block_of_the_function():
    fn = diamond()
    fn.blocks[1].handler = Block(6)
    assert problem(fn) == "f, bb1: handler bb6 is not a block of this function"


# ---------------------------------------------------------------------------------------------- definitions
def test_instruction_result_defined_twice_is_rejected():
    fn = diamond()
    fn.blocks[1].instrs[0].dst = fn.blocks[0].instrs[0].dst
    assert problem(fn).endswith("(%2 = const 1): %2 is defined twice (also by instruction 0 of bb0)")


def test_block_parameter_reusing_a_function_parameter_is_rejected():
    fn = diamond()
    fn.blocks[3].params = [fn.params[0]]
    assert problem(fn) == "f, bb3: block parameter %0 is defined twice (also as a function parameter)"


def test_two_value_objects_with_one_number_are_a_double_definition():
    fn = diamond()
    fn.blocks[3].params[0].id = 2          # the number of the TRUTHY result
    assert "%2 is defined twice" in problem(fn)


def test_value_used_but_never_defined_is_rejected():
    fn = diamond()
    stray = Function("g", "function", "g").new_value()
    fn.blocks[3].instrs[-1].args = [stray]
    assert problem(fn).endswith("(return %0): %0 is used but never defined in this function")


def test_value_of_another_function_is_not_defined_here():
    fn, other = diamond(), diamond()
    fn.blocks[2].instrs[-1].targets[0][1][0] = other.params[0]
    assert "%0 is used but never defined in this function" in problem(fn)


# ------------------------------------------------------------------------------------------------ dominance
def test_use_before_its_definition_in_the_same_block_is_rejected():
    fn = diamond()
    then = fn.blocks[1]
    then.instrs.insert(0, Instr("PRINT", None, [then.instrs[0].dst]))
    assert problem(fn).endswith("bb1, instruction 0 (print %3): %3 is used where its definition "
                                "(by instruction 1 of bb1) does not dominate")


def test_instruction_cannot_use_its_own_result():
    fn = diamond()
    truthy = fn.blocks[0].instrs[0]
    truthy.args = [truthy.dst]
    assert "%2 is used where its definition" in problem(fn)


def test_use_in_a_block_its_definition_does_not_dominate_is_rejected():
    fn = diamond()
    join = fn.blocks[3]
    join.instrs[-1].args = [fn.blocks[1].instrs[0].dst]
    assert problem(fn).endswith("(return %3): %3 is used where its definition (by instruction 0 of bb1) "
                                "does not dominate")


def test_jump_arguments_are_uses_at_the_end_of_their_block():
    fn = diamond()
    fn.blocks[2].instrs[-1].targets[0][1][0] = fn.blocks[1].instrs[0].dst
    assert "bb2, instruction 0 (jump bb3(%3)): %3 is used where its definition" in problem(fn)


def test_definitions_in_a_dominating_block_reach_later_blocks():
    fn = diamond()
    join = fn.blocks[3]
    join.instrs.insert(0, Instr("PRINT", None, [fn.blocks[0].instrs[0].dst]))
    verify_function(fn)


def test_block_parameter_dominates_its_whole_block():
    fn = diamond()
    join = fn.blocks[3]
    join.instrs.insert(0, Instr("PRINT", None, [join.params[0]]))
    verify_function(fn)


def test_uses_in_unreachable_blocks_are_not_checked_for_dominance():
    fn = diamond()
    dead = fn.new_block("dead")
    emit(fn, dead, "RETURN", fn.blocks[1].instrs[0].dst)
    verify_function(fn)


def test_uses_in_unreachable_blocks_must_still_be_defined():
    fn = diamond()
    dead = fn.new_block("dead")
    emit(fn, dead, "RETURN", Function("g", "function", "g").new_value())
    assert problem(fn).endswith("%0 is used but never defined in this function")


def test_definition_in_an_unreachable_block_dominates_nothing():
    fn = diamond()
    dead = fn.new_block("dead")
    value = emit(fn, dead, "CONST", 5).dst
    emit(fn, dead, "RETURN", value)
    fn.blocks[3].instrs[-1].args = [value]
    assert "%4 is used where its definition (by instruction 0 of bb4) does not dominate" in problem(fn)


def test_handler_edges_make_a_handler_reachable_for_dominance():
    fn = diamond()
    handler = with_handler(fn, fn.blocks[1])
    emit(fn, handler, "RETURN", fn.entry.instrs[0].dst)       # bb0 dominates bb1 and so its handler
    verify_function(fn)
    other = fn.new_block("sibling_value")
    handler.instrs[-1].args = [emit(fn, other, "CONST", 2).dst]
    emit(fn, other, "RETURN", other.instrs[0].dst)
    assert "%5 is used where its definition (by instruction 0 of bb5) does not dominate" in problem(fn)


def test_block_results_do_not_reach_its_handler():
    """The exception may be raised before any instruction of the protected block has run."""
    fn = diamond()
    then = fn.blocks[1]
    handler = with_handler(fn, then)
    emit(fn, handler, "RETURN", then.instrs[0].dst)
    assert problem(fn).endswith("(return %3): %3 is used where its definition (by instruction 0 of bb1) "
                                "does not dominate")


def test_block_parameters_reach_its_handler():
    fn = diamond()
    join = fn.blocks[3]
    handler = with_handler(fn, join)
    emit(fn, handler, "RETURN", join.params[0])
    verify_function(fn)


# ---------------------------------------------------------------------------------------------------- calls
def module_with(*functions: Function) -> Module:
    module = Module()
    module.top = functions[0].name
    module.functions = {fn.name: fn for fn in functions}
    return module


def callee(name: str = "g", nparams: int = 2) -> Function:
    fn = new_function(nparams, name=name)
    block = fn.new_block("entry")
    emit(fn, block, "RETURN", fn.params[0])
    return fn


def caller_of(fname: str, nargs: int) -> Function:
    fn = diamond()
    then = fn.blocks[1]
    then.instrs.insert(0, Instr("CALL", fn.new_value(), [fname] + [fn.params[0]] * nargs))
    return fn


def test_call_must_name_a_function_of_the_module():
    fn = caller_of("fn:missing", 2)
    assert problem(fn, module_with(fn, callee())).endswith(
        "calls 'fn:missing', which is not a function of the module")


def test_call_passes_as_many_arguments_as_the_callee_has_parameters():
    fn = caller_of("g", 1)
    module = module_with(fn, callee())
    assert problem(fn, module).endswith("(%4 = call 'g', %0): passes 1 arguments to 'g', which has 2 parameters")
    with pytest.raises(MirError, match="passes 1 arguments"):
        verify_module(module)


CALLING_OPS = [name for name, op in OPS.items() if ("func", "imm") in op.fields]


@pytest.mark.parametrize("name", CALLING_OPS)
def test_every_op_with_a_function_operand_is_checked_like_call(name):
    fn = diamond()
    shape = {"imm": "g", "value": fn.params[0]}
    args = [shape[kind] for _, kind in OPS[name].fields if kind != "values"] + [fn.params[0]] * 3
    fn.blocks[1].instrs.insert(0, Instr(name, fn.new_value(), args))
    assert problem(fn, module_with(fn, callee())).endswith("passes 3 arguments to 'g', which has 2 parameters")
    args[0] = "h"
    assert problem(fn, module_with(fn, callee())).endswith("calls 'h', which is not a function of the module")


def test_calls_are_checked_only_when_a_module_is_given():
    fn = caller_of("fn:missing", 1)
    verify_function(fn)
    verify_function(caller_of("g", 2), module_with(diamond(), callee()))


# --------------------------------------------------------------------------------------------------- module
def test_module_function_must_be_stored_under_its_name():
    module = module_with(diamond())
    module.functions["h"] = module.functions.pop("f")
    module.top = "h"
    assert "module: function stored under 'h' is named 'f'" in verify_errors(module)


def test_module_needs_its_top_level_function():
    module = module_with(diamond())
    module.top = "__top__"
    with pytest.raises(MirError, match=r"^module: top-level function '__top__' is missing$"):
        verify_module(module)


def test_class_tables_name_functions_of_the_module_with_the_right_arity():
    module = module_with(diamond(), callee("m:B.birth", 2))
    module.classes["B"] = ClassInfo("B", False, [], [], {"go": "m:B.go"}, {1: "m:B.birth"}, "static:B")
    assert verify_errors(module) == [
        "module: box B method 'go' names unknown function 'm:B.go'",
        "module: box B constructor/1 expects 1 parameters but 'm:B.birth' has 2",
        "module: box B static block names unknown function 'static:B'",
    ]


def test_main_must_exist_with_its_recorded_arity():
    module = module_with(diamond())
    module.main, module.main_arity = "f", 0
    assert verify_errors(module) == ["module: main expects 0 parameters but 'f' has 1"]


# ------------------------------------------------------------------------------------------------ collecting
def test_verify_errors_collects_every_problem_in_order():
    fn = diamond()
    fn.blocks[2].instrs.clear()
    fn.entry.params.append(fn.new_value())
    assert verify_errors(fn) == ["f, bb2: block is empty", "f, bb0: the entry block has parameters"]


def test_verify_module_checks_every_function():
    good, bad = diamond(), diamond()
    bad.name = "bad"
    bad.blocks[3].instrs.clear()
    with pytest.raises(MirError, match=r"^bad, bb3: block is empty$"):
        verify_module(module_with(good, bad))


def test_specialised_entries_name_functions_with_the_same_arity():
    fn = diamond()
    module = module_with(fn, callee("g", 2))
    module.main, module.main_arity, module.main_entry = "f", 1, "g"
    fn.guarded_entry = ("f:int", ("int",))
    assert verify_errors(module) == ["module: main entry expects 1 parameters but 'g' has 2",
                                     "module: f guarded entry names unknown function 'f:int'"]


# ------------------------------------------------------------------------- dominance against an oracle
def random_cfg(rng: random.Random, size: int) -> Function:
    """Block i: `%v = const i`, `print` of some block's %v, then a random terminator; some have a handler."""
    fn = new_function(0)
    blocks = [fn.new_block() for _ in range(size)]
    later = blocks[1:]
    for block in blocks:
        if later and rng.random() < 0.3:
            block.handler = rng.choice(later)
            block.handler.params = block.handler.params or [fn.new_value("exc")]
    for block in blocks:
        value = emit(fn, block, "CONST", block.id).dst
        shape = rng.choice(("RETURN", "JUMP", "BRANCH") if later else ("RETURN",))
        chosen = [rng.choice(later) for _ in range(OPS[shape].targets)]
        targets = [(target, [value] * len(target.params)) for target in chosen]
        block.instrs.append(Instr(shape, None, [] if shape == "JUMP" else [value], targets=targets))
    for block in blocks:
        block.instrs.insert(1, Instr("PRINT", None, [rng.choice(blocks).instrs[0].dst]))
    return fn


def reachable_bodies(fn: Function, removed: Block | None = None) -> set[int]:
    """Blocks whose body (instructions) can run, when `removed`'s body never runs: a handler is entered
    from the top of a protected block, before any of its instructions."""
    seen, stack = set(), [fn.entry]
    while stack:
        block = stack.pop()
        if id(block) in seen:
            continue
        seen.add(id(block))
        nexts = [block.handler] if block.handler is not None else []
        if block is not removed:
            nexts += [target for target, _ in block.instrs[-1].targets]
        stack.extend(nexts)
    return {id(block) for block in fn.blocks if id(block) in seen and block is not removed}


@pytest.mark.parametrize("seed", range(40))
def test_dominance_agrees_with_path_removal_on_random_graphs(seed):
    rng = random.Random(seed)
    fn = random_cfg(rng, rng.randint(1, 8))
    reachable = reachable_bodies(fn)
    expected = []
    for block in fn.blocks:
        used = block.instrs[1].args[0]
        home = next(b for b in fn.blocks if b.instrs[0].dst is used)
        if id(block) in reachable and home is not block and id(block) in reachable_bodies(fn, home):
            expected.append(f"f, bb{block.id}, instruction 1 (print {used!r}): {used!r} is used where its "
                            f"definition (by instruction 0 of bb{home.id}) does not dominate")
    assert verify_errors(fn) == expected
