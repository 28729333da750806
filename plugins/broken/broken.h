/* broken.h -- a minimal, valid TypeBox that each plugin in this folder breaks in exactly one way
 * (abi.md section 4; see README.md here). Test fixtures only: every function is a harmless stub.
 */
#ifndef BROKEN_H
#define BROKEN_H

#include <stdlib.h>

#include "../common/nyplug.h"

static void *broken_create(void *env) { (void)env; return calloc(1, 8); }
static void broken_retain(void *inst) { (void)inst; }
static void broken_release(void *inst) { free(inst); }

static nyrt_err broken_to_nyash(const void *inst, nyrt_nyash_value *out, nyrt_ownership *own) {
    (void)inst; (void)out; (void)own;
    return NYRT_E_TYPE;
}

static nyrt_err broken_from_nyash(const nyrt_nyash_value *val, void **out, nyrt_ownership *own) {
    (void)val; (void)out; (void)own;
    return NYRT_E_TYPE;
}

static nyrt_err broken_invoke_by_id(void *inst, uint64_t method, const void *const *argv, size_t argc,
                                    void **ret, nyrt_ownership *ret_own) {
    (void)inst; (void)method; (void)argv; (void)argc; (void)ret; (void)ret_own;
    return NYRT_E_NOT_FOUND;
}

static nyrt_err broken_invoke_by_name(void *inst, const char *method, const void *const *argv, size_t argc,
                                      void **ret, nyrt_ownership *ret_own) {
    (void)inst; (void)method; (void)argv; (void)argc; (void)ret; (void)ret_own;
    return NYRT_E_NOT_FOUND;
}

/* Not const: a plugin may knock one function out of its own copy. */
static nyrt_c_vtable broken_c = {broken_create, broken_retain, broken_release, broken_to_nyash,
                                 broken_from_nyash, broken_invoke_by_id, broken_invoke_by_name};

#define BROKEN_META "{\"methods\": {}, \"birth_arity\": [0]}"

/* A valid C-ABI TypeBox named `name`. */
static inline void broken_valid(nyrt_typebox *tb, const char *name) {
    nyplug_typebox(tb, name, 0, &broken_c, NULL, BROKEN_META);
}

/* The init every broken plugin but init_fails uses. */
#define BROKEN_INIT                                                                                          \
    NYPLUG_EXPORT nyrt_err nyash_plugin_init(const nyrt_host *host, const nyrt_runtime_info *info) {          \
        (void)info;                                                                                          \
        (void)host;                                                                                          \
        return NYRT_OK;                                                                                      \
    }

#endif /* BROKEN_H */
