/* wrong_fast_key.c -- fast_key is not the first 8 bytes of stable_id (its lowest bit is flipped). */
#include "broken.h"

static nyrt_typebox tb;
static const nyrt_typebox *list[1];

BROKEN_INIT

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    broken_valid(&tb, "broken.WrongFastKey");
    tb.fast_key ^= 1u;
    list[0] = &tb;
    *count = 1;
    return list;
}
