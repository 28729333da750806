/* bad_utf8_name.c -- name is not valid UTF-8 (stable_id and fast_key are the SHA-256 of its bytes, so only the UTF-8 rule fails). */
#include "broken.h"

static nyrt_typebox tb;
static const nyrt_typebox *list[1];

BROKEN_INIT

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    broken_valid(&tb, "broken.Bad\xff\xfeUtf8");
    list[0] = &tb;
    *count = 1;
    return list;
}
