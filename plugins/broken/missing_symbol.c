/* missing_symbol.c -- exports nyash_plugin_init but no nyash_typeboxes (it is misspelled). */
#include "broken.h"

static nyrt_typebox tb;
static const nyrt_typebox *list[1];

BROKEN_INIT

NYPLUG_EXPORT const nyrt_typebox *const *nyash_type_boxes(size_t *count) {
    broken_valid(&tb, "broken.MissingSymbol");
    list[0] = &tb;
    *count = 1;
    return list;
}
