/* null_name.c -- name is NULL. */
#include "broken.h"

static nyrt_typebox tb;
static const nyrt_typebox *list[1];

BROKEN_INIT

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    broken_valid(&tb, "broken.NullName");
    tb.name = NULL;
    list[0] = &tb;
    *count = 1;
    return list;
}
