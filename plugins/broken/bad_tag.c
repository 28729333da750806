/* bad_tag.c -- abi_tag is not NYRT_ABI_TAG (the tag byte-swapped). */
#include "broken.h"

static nyrt_typebox tb;
static const nyrt_typebox *list[1];

BROKEN_INIT

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    broken_valid(&tb, "broken.BadTag");
    tb.abi_tag = 0x58425954u;
    list[0] = &tb;
    *count = 1;
    return list;
}
