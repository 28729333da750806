/* wrong_stable_id.c -- stable_id is not SHA-256(name): its last byte is flipped (fast_key, the first 8 bytes, still matches). */
#include "broken.h"

static nyrt_typebox tb;
static const nyrt_typebox *list[1];

BROKEN_INIT

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    broken_valid(&tb, "broken.WrongStableId");
    tb.stable_id[31] ^= 0x01u;
    list[0] = &tb;
    *count = 1;
    return list;
}
