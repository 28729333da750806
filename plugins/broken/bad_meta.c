/* bad_meta.c -- meta is not valid JSON (an object left open). */
#include "broken.h"

static nyrt_typebox tb;
static const nyrt_typebox *list[1];

BROKEN_INIT

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    broken_valid(&tb, "broken.BadMeta");
    tb.meta.json = "{\"methods\": {\"get/1\": {}";
    tb.meta.json_len = strlen(tb.meta.json);
    list[0] = &tb;
    *count = 1;
    return list;
}
