"""The part of nyrt that compiled code calls, declared once for the lowering.

In: nothing. Out: the LLVM types of a Nyash value and of the program tables (abi/include/nyrt_exec.h), the
type ids of the inline kinds (computed here exactly as nyrt computes them), and `declare(module, name)`,
which adds the declaration of a nyrt function to an llvmlite module on first use.

A dynamic value is nyrt's `nyrt_nyash_value` (type_id, box_handle, metadata: three 64-bit words) kept in a
stack slot and passed by pointer, so every nyrt function and plugin slot takes it without conversion.
Int, Float and Bool values the type pass proves are plain i64, double and i1 and are boxed into a slot
(three stores, no call) only where a dynamic value is needed.
"""
from __future__ import annotations

import hashlib

from llvmlite import ir

I1, I8, I32, I64, F64, PTR = (ir.IntType(1), ir.IntType(8), ir.IntType(32), ir.IntType(64), ir.DoubleType(),
                              ir.PointerType())
VOID = ir.VoidType()
VALUE = ir.LiteralStructType([I64, I64, I64])     # type_id, box_handle, metadata
VALUE_SIZE = 24
META_INLINE = 1
INSTANCE_FIELDS_OFFSET = 40                       # nyrt_inst.fields[0] (abi/nyrt/internal.h)
INSTANCE_CLASS_OFFSET = 16                        # nyrt_inst.cls: the address of its nyrt_x_class
CLASS_SIZE = 72                                   # sizeof(nyrt_x_class)
ARRAY_ITEMS_OFFSET, ARRAY_LEN_OFFSET = 16, 24     # nyrt_arr.items, nyrt_arr.len (abi/nyrt/internal.h)
STRING_LEN_OFFSET = 8                             # nyrt_str.len: UTF-8 bytes

# nyrt_x_entry, nyrt_x_class, nyrt_x_position, nyrt_x_program (nyrt_exec.h), field by field
ENTRY = ir.LiteralStructType([I64, I64, PTR])
CLASS = ir.LiteralStructType([PTR, I64, I64, PTR, I64, PTR, I64, PTR, PTR])
POSITION = ir.LiteralStructType([PTR, PTR])
PROGRAM = ir.LiteralStructType([I64, PTR, I64, PTR, I64, PTR, PTR, PTR, I64, I64, I64, PTR])


def fast_key(name: str) -> int:
    """A TypeBox's fast key: the first 8 bytes of SHA-256(name), little-endian (abi.md §2)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")


def method_key(name: str, arity: int) -> int:
    """nyrt_method_id(name, arity): the fast key of "name/arity"."""
    return fast_key(f"{name}/{arity}")


def signed(key: int) -> int:
    """A 64-bit key as the signed constant LLVM prints."""
    return key - (1 << 64) if key >= 1 << 63 else key


TID = {kind: fast_key(f"nyash.core.{name}") for kind, name in
       (("int", "Integer"), ("float", "Float"), ("bool", "Bool"), ("null", "Null"), ("void", "Void"),
        ("string", "String"), ("array", "Array"))}
INSTANCE_TID = fast_key("nyash.user.Instance")

# name -> (result, parameters). nyrt_err results are i32 (0 is success), like every nyrt_x_ status.
FUNCTIONS: dict[str, tuple] = {
    "nyrt_val_retain": (VOID, [PTR]),
    "nyrt_val_release": (VOID, [PTR]),
    "nyrt_x_retain_v": (VOID, [I64, I64, I64]),
    "nyrt_x_release_v": (VOID, [I64, I64, I64]),
    "nyrt_val_truthy": (I32, [PTR]),
    "nyrt_op_binary": (I32, [I32, PTR, PTR, PTR]),
    "nyrt_op_neg": (I32, [PTR, PTR]),
    "nyrt_op_not": (I32, [PTR]),
    "nyrt_res_new": (I32, [I32, PTR, PTR]),
    "nyrt_res_get": (I32, [PTR, PTR, PTR]),
    "nyrt_arr_len": (I64, [PTR]),
    "nyrt_arr_get": (I32, [PTR, I64, PTR]),
    "nyrt_arr_set": (I32, [PTR, I64, PTR]),
    "nyrt_arr_push": (I32, [PTR, PTR]),
    "nyrt_x_alloc": (I32, [I64, PTR]),
    "nyrt_x_singleton": (I32, [I64, I64, PTR]),
    "nyrt_x_get_field": (I32, [PTR, PTR, PTR]),
    "nyrt_x_set_field": (I32, [PTR, PTR, PTR]),
    "nyrt_x_call_method": (I32, [I64, PTR, I64, I64, PTR, I64, PTR]),
    "nyrt_x_call_bare": (I32, [I64, I64, PTR, PTR, I64, PTR]),
    "nyrt_x_from_call": (I32, [I64, I64, I64, PTR, PTR, I64, PTR]),
    "nyrt_x_new": (I32, [I64, PTR, PTR, I64, PTR]),
    "nyrt_x_expect_instance": (I32, [PTR, I64, I64]),
    "nyrt_x_result_ok": (I32, [PTR, PTR]),
    "nyrt_x_undefined": (I32, [PTR]),
    "nyrt_x_intern": (I32, [PTR, I64, PTR]),
    "nyrt_x_print": (I32, [PTR]),
    "nyrt_x_str_substring": (I32, [PTR, I64, I64, I32, PTR]),
    "nyrt_x_str_index_of": (I64, [PTR, PTR, I64, I32]),
    "nyrt_x_map_direct": (I32, [I32, PTR, PTR, PTR, PTR]),
    "nyrt_x_fail": (I32, [I32, PTR]),
    "nyrt_x_fail_nyrt": (I32, [I32]),
    "nyrt_x_throw": (I32, [I32, PTR]),
    "nyrt_x_rethrow": (I32, [PTR]),
    "nyrt_x_catch": (I32, [PTR]),
    "nyrt_x_native_main": (I32, [PTR, I32, PTR]),
}


def value_field(builder: ir.IRBuilder, slot, index: int):
    """The address of word `index` (0 type_id, 1 box_handle, 2 metadata) of the value at `slot`."""
    return builder.gep(slot, [ir.Constant(I32, 0), ir.Constant(I32, index)], source_etype=VALUE)


def box(builder: ir.IRBuilder, value, label: str, slot) -> None:
    """Store Int/Float/Bool `value` (label int, float or bool) into `slot` as an inline nyrt value."""
    builder.store(boxed(builder, value, label), slot)


def boxed(builder: ir.IRBuilder, value, label: str):
    """Int/Float/Bool `value` (label int, float or bool) as an inline nyrt value (a VALUE aggregate)."""
    if label == "int":
        bits = value
    elif label == "float":
        bits = builder.bitcast(value, I64)
    else:
        bits = builder.zext(value, I64)
    struct = ir.Constant(VALUE, [ir.Constant(I64, signed(TID[label])), ir.Undefined, ir.Constant(I64, META_INLINE)])
    return builder.insert_value(struct, bits, 1)


def unbox(builder: ir.IRBuilder, slot, label: str):
    """The payload of a slot known to hold an Int, Float or Bool, as i64, double or i1."""
    bits = builder.load(value_field(builder, slot, 1), typ=I64)
    if label == "int":
        return bits
    if label == "float":
        return builder.bitcast(bits, F64)
    return builder.icmp_unsigned("!=", bits, ir.Constant(I64, 0))


def declare(module: ir.Module, name: str) -> ir.Function:
    """The declaration of nyrt function `name` in `module` (added once)."""
    existing = module.globals.get(name)
    if existing is not None:
        return existing
    result, params = FUNCTIONS[name]
    return ir.Function(module, ir.FunctionType(result, params), name)
