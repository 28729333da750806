/* ver_major.c -- ver_major is 2: a different major version than the host's 1. */
#include "broken.h"

static nyrt_typebox tb;
static const nyrt_typebox *list[1];

BROKEN_INIT

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    broken_valid(&tb, "broken.VerMajor");
    tb.ver_major = NYRT_ABI_VER_MAJOR + 1;
    list[0] = &tb;
    *count = 1;
    return list;
}
