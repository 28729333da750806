"""Builtin methods compiled code calls without nyrt's dispatch.

In: a FunctionFrame at a CALL_METHOD whose receiver's kind the type pass knows. Out: the call's LLVM code,
or False when the method is not one handled here (the caller then dispatches through nyrt_x_call_method).

ArrayBox and StringBox are never replaced by plugins, so a value labelled `array` or `string` is nyrt's:
length/get/set/push and String length read or write the nyrt object at the offsets internal.h asserts;
substring and indexOf call their implementations directly. MapBox may be a plugin's, so its get/has/set go
through nyrt_x_map_direct, which declines (-1) for a plugin's map or a non-String key.
"""
from __future__ import annotations

from contextlib import contextmanager

from llvmlite import ir

from nyash_run.mir.ir import Instr

from .frame import FunctionFrame, label_of
from .nyrt_api import (ARRAY_ITEMS_OFFSET, ARRAY_LEN_OFFSET, I32, I64, META_INLINE, PTR, STRING_LEN_OFFSET, TID,
                       VALUE, declare, method_key, signed, value_field)

MAP_DIRECT = {("get", 1): 0, ("has", 1): 1, ("set", 2): 2}   # NYRT_X_MAP_GET / HAS / SET
MAP_SET, MAP_SET_QUIET = 2, 3


class BuiltinMethods(FunctionFrame):
    def map_method(self, i: Instr, which: int, recv, args, out) -> None:
        """MapBox get/has/set without the dispatch when the map is nyrt's and the key a String (the map may
        be a plugin's: then nyrt_x_map_direct declines and the call is dispatched as usual)."""
        bld = self.builder
        value = self.dyn(args[1]) if len(args) == 2 else ir.Constant(PTR, None)
        direct = bld.call(declare(self.ir, "nyrt_x_map_direct"),
                          [ir.Constant(I32, which), self.dyn(recv), self.dyn(args[0]), value, out])
        direct_block = bld.block
        with bld.if_then(bld.icmp_signed("==", direct, ir.Constant(I32, -1)), likely=False):
            dispatched = self.call_method(i, i.args[0], recv, args, out)
            dispatched_block = bld.block
        status = bld.phi(I32)
        status.add_incoming(direct, direct_block)
        status.add_incoming(dispatched, dispatched_block)
        self.check_status(status, i)
        self.finish_result(i, out)

    def call_method(self, i: Instr, name: str, recv, args, out):
        return self.builder.call(declare(self.ir, "nyrt_x_call_method"), [
            self.depth, self.dyn(recv), self.i64(self.program.name_id(name)),
            self.i64(signed(method_key(name, len(args)))),
            self.args_array(args), self.i64(len(args)), out])

    def array_method(self, i: Instr, name: str, recv, args) -> bool:
        """ArrayBox's hottest methods as direct nyrt calls (ArrayBox is never replaced by a plugin, so a
        value labelled `array` is nyrt's); the results are runtime/containers.py's. False: not one of them."""
        bld, recv_value, recv = self.builder, recv, self.v(recv)
        if name in ("length", "size", "len") and not args:
            if i.dst is not None:
                self.define(i, self.array_word(recv, ARRAY_LEN_OFFSET), "int")
            return True
        if name == "get" and len(args) == 1 and label_of(args[0]) in ("int", "dyn"):
            out = self.result_place(i)
            with self.int_index(i, name, recv_value, args, out) as index:
                inside = bld.icmp_unsigned("<", index, self.array_word(recv, ARRAY_LEN_OFFSET))
                with bld.if_else(inside, likely=True) as (hit, miss):
                    with hit:
                        items = bld.inttoptr(self.array_word(recv, ARRAY_ITEMS_OFFSET), PTR)
                        self.copy(bld.gep(items, [index], source_etype=VALUE), out)
                    with miss:                                      # out of range: null, as nyrt_arr_get
                        bld.store(ir.Constant(VALUE, [ir.Constant(I64, signed(TID["null"])), ir.Constant(I64, 0),
                                                      ir.Constant(I64, META_INLINE)]), out)
            self.finish_place(i, out)
            return True
        if name == "push" and len(args) == 1:
            bld.call(declare(self.ir, "nyrt_arr_push"), [self.dyn(recv_value), self.dyn(args[0])])
            self.define_string(i, "ok")
            return True
        if name == "set" and len(args) == 2 and label_of(args[0]) in ("int", "dyn"):
            used = i.dst is not None and i.dst.id in self.used_values
            out = self.result_place(i) if used else None
            with self.int_index(i, name, recv_value, args, out) as index:
                inside = bld.icmp_unsigned("<", index, self.array_word(recv, ARRAY_LEN_OFFSET))
                with bld.if_else(inside, likely=True) as (hit, miss):
                    with hit:
                        items = bld.inttoptr(self.array_word(recv, ARRAY_ITEMS_OFFSET), PTR)
                        self.store_owned(bld.gep(items, [index], source_etype=VALUE), args[1])
                        hit_block = bld.block
                    with miss:                              # nyrt's failure, turned into the error String
                        failed = bld.call(declare(self.ir, "nyrt_arr_set"), [self.dyn(recv_value), index, self.dyn(args[1])])
                        miss_block = bld.block
                if used:
                    status = bld.phi(I32)
                    status.add_incoming(ir.Constant(I32, 0), hit_block)
                    status.add_incoming(failed, miss_block)
                    ok = self.program.string_constant(bld, "ok")
                    bad = self.program.string_constant(bld, "Error: index out of bounds")
                    chosen = bld.select(bld.icmp_signed("==", status, ir.Constant(I32, 0)), ok, bad)
                    self.copy(chosen, out, retain=False)                    # immortal Strings
            if used:
                self.finish_place(i, out)
            return True
        return False

    @contextmanager
    def int_index(self, i: Instr, name: str, recv, args, out):
        """Yield the Int index of an ArrayBox get/set for the fast path. A dynamic index that turns out not
        to be an Int takes the general dispatch instead (its result is moved into `out`, or released when
        `out` is None)."""
        index = args[0]
        if label_of(index) == "int":
            yield self.v(index)
            return
        bld, slot = self.builder, self.v(index)
        is_int = bld.icmp_unsigned("==", bld.load(value_field(bld, slot, 0), typ=I64), ir.Constant(I64, signed(TID["int"])))
        consumed = self.consumed_here([index])
        with bld.if_else(is_int, likely=True) as (fast, general):
            with fast:
                payload = bld.load(value_field(bld, slot, 1), typ=I64)
                self.empty(consumed)
                yield payload
            with general:
                target = self.scratch()
                self.check_status(self.call_method(i, name, recv, args, target), i)
                self.drop(v.id for v in consumed)
                if out is None:
                    self.release(target)
                else:
                    self.move(target, out)

    def string_method(self, i: Instr, name: str, recv, args) -> bool:
        """String's hot methods without the dispatch (String is never replaced by a plugin). False: not one."""
        bld, kinds = self.builder, [label_of(a) for a in args]
        if name in ("length", "size", "len") and not args:
            if i.dst is not None:                                   # its length is its UTF-8 bytes
                self.define(i, self.array_word(self.v(recv), STRING_LEN_OFFSET), "int")
            return True
        if name == "substring" and kinds in (["int"], ["int", "int"]):
            out = self.result_slot(i)
            end = self.v(args[1]) if len(args) == 2 else self.i64(0)
            status = bld.call(declare(self.ir, "nyrt_x_str_substring"),
                              [self.dyn(recv), self.v(args[0]), end, ir.Constant(I32, len(args)), out])
            self.check_status(status, i)
            self.finish_result(i, out)
            return True
        if name == "indexOf" and len(args) in (1, 2) and kinds[1:] in ([], ["int"]) and i.dst is not None \
                and label_of(i.dst) == "int" and args[0].type in ("string", "dyn"):
            needle = self.dyn(args[0])
            start = self.v(args[1]) if len(args) == 2 else self.i64(0)
            if args[0].type == "string":
                self.define(i, bld.call(declare(self.ir, "nyrt_x_str_index_of"),
                                        [self.dyn(recv), needle, start, ir.Constant(I32, len(args))]), "int")
                return True
            tid = bld.load(value_field(bld, needle, 0), typ=I64)
            with bld.if_else(bld.icmp_unsigned("==", tid, ir.Constant(I64, signed(TID["string"]))),
                             likely=True) as (direct, general):
                with direct:
                    found = bld.call(declare(self.ir, "nyrt_x_str_index_of"),
                                     [self.dyn(recv), needle, start, ir.Constant(I32, len(args))])
                    direct_block = bld.block
                with general:
                    out = self.scratch()
                    status = bld.call(declare(self.ir, "nyrt_x_call_method"), [
                        self.depth, self.dyn(recv), self.i64(self.program.name_id(name)),
                        self.i64(signed(method_key(name, len(args)))), self.args_array(args), self.i64(len(args)), out])
                    self.check_status(status, i)
                    general_value = self.unbox(out, "int")
                    general_block = bld.block
            merged = bld.phi(I64)
            merged.add_incoming(found, direct_block)
            merged.add_incoming(general_value, general_block)
            self.values[i.dst.id] = merged
            return True
        return False

    def array_word(self, recv, offset: int):
        """A 64-bit word of the nyrt object behind a value (nyrt_arr, nyrt_str: abi/nyrt/internal.h)."""
        handle = self.builder.load(value_field(self.builder, recv, 1), typ=I64)
        return self.builder.load(self.builder.inttoptr(self.builder.add(handle, self.i64(offset)), PTR), typ=I64)

    def define_string(self, i: Instr, text: str) -> None:
        if i.dst is not None and i.dst.id in self.used_values:
            self.copy(self.program.string_constant(self.builder, text), self.dst_slot(i), retain=False)

