/* counter.c -- CounterBox: a singleton counter supplied through the C ABI only (abi.md sections 1.2, 3).
 *
 * `new CounterBox()` always gives the same instance ("singleton": true; nyrt keeps it). Methods:
 *   inc()    adds 1 and returns the new count (Integer, in the pointer slot)
 *   get()    the count (Integer)
 *   reset()  sets the count to 0 (void)
 * Instances are reference counted and allocated with host_alloc, so nyrt's allocator sees them.
 */
#include <stdint.h>

#include "../common/nyplug.h"

#define COUNTER_NAME "acme.CounterBox"

typedef struct counter {
    uint32_t refs;
    int64_t value;
} counter;

enum { OP_INC, OP_GET, OP_RESET };

static nyplug_method methods[] = {
    {"inc", 0, OP_INC, 0},
    {"get", 0, OP_GET, 0},
    {"reset", 0, OP_RESET, 0},
};

static const char meta[] =
    "{\"methods\": {\"inc/0\": {\"ret\": \"nyash.core.Integer\"}, \"get/0\": {\"ret\": \"nyash.core.Integer\"},"
    " \"reset/0\": {}}, \"birth_arity\": [0], \"singleton\": true}";

static const nyrt_host *host;
static nyrt_typebox typebox;
static const nyrt_typebox *typeboxes[1];

static void *counter_create(void *env) {
    (void)env;
    counter *c = host->host_alloc(sizeof *c);
    if (c) {
        c->refs = 1;
        c->value = 0;
    }
    return c;
}

static void counter_retain(void *inst) {
    if (inst)
        ((counter *)inst)->refs++;
}

static void counter_release(void *inst) {
    counter *c = inst;
    if (c && --c->refs == 0)
        host->host_free(c);
}

/* A CounterBox as a Nyash value: its address under our type id; no reference is added. */
static nyrt_err counter_to_nyash(const void *inst, nyrt_nyash_value *out, nyrt_ownership *own) {
    return nyplug_address_to_nyash(typebox.fast_key, inst, out, own);
}

static nyrt_err counter_from_nyash(const nyrt_nyash_value *val, void **out, nyrt_ownership *own) {
    return nyplug_address_from_nyash(typebox.fast_key, val, out, own);
}

static nyrt_err counter_op(counter *c, int32_t op, size_t argc, void **ret, nyrt_ownership *ret_own) {
    (void)argc;
    *ret = NULL;
    *ret_own = NYRT_OWN_BORROW;
    if (!c)
        return NYRT_E_STATE;
    switch (op) {
    case OP_INC:
        c->value++;
        *ret = (void *)(intptr_t)c->value;
        return NYRT_OK;
    case OP_GET:
        *ret = (void *)(intptr_t)c->value;
        return NYRT_OK;
    case OP_RESET:
        c->value = 0;
        return NYRT_OK;
    default:
        return NYRT_E_NOT_FOUND;
    }
}

static nyrt_err counter_invoke_by_id(void *inst, uint64_t method, const void *const *argv, size_t argc,
                                     void **ret, nyrt_ownership *ret_own) {
    (void)argv;
    return counter_op(inst, nyplug_op_by_id(methods, NYPLUG_COUNT(methods), method), argc, ret, ret_own);
}

static nyrt_err counter_invoke_by_name(void *inst, const char *method, const void *const *argv, size_t argc,
                                       void **ret, nyrt_ownership *ret_own) {
    (void)argv;
    return counter_op(inst, nyplug_op_by_name(methods, NYPLUG_COUNT(methods), method, argc), argc, ret, ret_own);
}

static const nyrt_c_vtable c_vtable = {counter_create, counter_retain, counter_release, counter_to_nyash,
                                       counter_from_nyash, counter_invoke_by_id, counter_invoke_by_name};

NYPLUG_EXPORT nyrt_err nyash_plugin_init(const nyrt_host *h, const nyrt_runtime_info *info) {
    (void)info;
    if (!h || !h->host_alloc || !h->host_free)
        return NYRT_E_ARG;
    host = h;
    nyplug_methods_init(methods, NYPLUG_COUNT(methods));
    nyplug_typebox(&typebox, COUNTER_NAME, 0, &c_vtable, NULL, meta);
    typeboxes[0] = &typebox;
    return NYRT_OK;
}

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    *count = host ? 1 : 0;
    return typeboxes;
}
