/* abi_kind_mismatch.c -- abi_kind says UNIFIED but only the C vtable is present (ny is NULL). */
#include "broken.h"

static nyrt_typebox tb;
static const nyrt_typebox *list[1];

BROKEN_INIT

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    broken_valid(&tb, "broken.AbiKindMismatch");
    tb.abi_kind = NYRT_ABI_UNIFIED;
    list[0] = &tb;
    *count = 1;
    return list;
}
