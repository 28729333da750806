/* ver_minor.c -- ver_minor is newer than the host's (1.1 against 1.0). */
#include "broken.h"

static nyrt_typebox tb;
static const nyrt_typebox *list[1];

BROKEN_INIT

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    broken_valid(&tb, "broken.VerMinor");
    tb.ver_minor = NYRT_ABI_VER_MINOR + 1;
    list[0] = &tb;
    *count = 1;
    return list;
}
