/* small_size.c -- size is 112, less than the 120 bytes of a v1.0 TypeBox. */
#include "broken.h"

static nyrt_typebox tb;
static const nyrt_typebox *list[1];

BROKEN_INIT

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    broken_valid(&tb, "broken.SmallSize");
    tb.size = 112;
    list[0] = &tb;
    *count = 1;
    return list;
}
