/* missing_function.c -- the C vtable lacks a required function (invoke_by_id is NULL). */
#include "broken.h"

static nyrt_typebox tb;
static nyrt_c_vtable vt;
static const nyrt_typebox *list[1];

BROKEN_INIT

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    vt = broken_c;
    vt.invoke_by_id = NULL;
    nyplug_typebox(&tb, "broken.MissingFunction", 0, &vt, NULL, BROKEN_META);
    list[0] = &tb;
    *count = 1;
    return list;
}
