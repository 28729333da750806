/* init_fails.c -- nyash_plugin_init returns NYRT_E_STATE (its TypeBox would be valid). */
#include "broken.h"

static nyrt_typebox tb;
static const nyrt_typebox *list[1];

NYPLUG_EXPORT nyrt_err nyash_plugin_init(const nyrt_host *host, const nyrt_runtime_info *info) {
    (void)info;
    if (host && host->log)
        host->log(3, "init_fails: refusing to start");   /* error level: the refusal's detail */
    return NYRT_E_STATE;
}

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    broken_valid(&tb, "broken.InitFails");
    list[0] = &tb;
    *count = 1;
    return list;
}
