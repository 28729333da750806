/* duplicate_type.c -- reports the same type twice: the first registers, the second is a duplicate. */
#include "broken.h"

static nyrt_typebox first, second;
static const nyrt_typebox *list[2];

BROKEN_INIT

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    broken_valid(&first, "broken.Duplicate");
    broken_valid(&second, "broken.Duplicate");
    list[0] = &first;
    list[1] = &second;
    *count = 2;
    return list;
}
