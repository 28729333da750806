/* arr.c -- ArrayBox: a growable vector of owned (retained) values, its C API and its methods
 * (language.md 7.5), exactly as nyash_run/runtime/containers.py.
 *
 * Mutators return the String "ok" (or "Error: index out of bounds"); out-of-range reads give null. These are
 * returned values, never errors.
 */
#include <string.h>

#include "internal.h"

#define SELF ((nyrt_arr *)(uintptr_t)self->box_handle)

nyrt_arr *nyrt_arr_alloc(size_t cap) {
    nyrt_arr *a = nyrt_mem_alloc(sizeof *a);
    if (!a)
        return NULL;
    nyrt_obj_init(&a->h, NYRT_TID_ARRAY);
    a->dead = NULL;
    a->len = 0;
    a->cap = cap;
    a->displaying = 0;
    a->items = cap ? nyrt_mem_alloc(cap * sizeof *a->items) : NULL;
    if (cap && !a->items) {
        nyrt_obj_free(a, sizeof *a);
        return NULL;
    }
    return a;
}

void nyrt_arr_destroy(nyrt_arr *a) {
    for (size_t i = a->len; i-- > 0;)
        nyrt_release_v(&a->items[i]);
    nyrt_mem_free(a->items, a->cap * sizeof *a->items);
    nyrt_obj_free(a, sizeof *a);
}

static int reserve(nyrt_arr *a, size_t extra) {
    if (a->cap - a->len >= extra)
        return 1;
    size_t cap = a->cap < 4 ? 4 : a->cap;
    while (cap - a->len < extra) {
        if (cap > SIZE_MAX / 2 / sizeof *a->items)
            return 0;
        cap *= 2;
    }
    nyrt_nyash_value *items = nyrt_mem_realloc(a->items, a->cap * sizeof *items, cap * sizeof *items);
    if (!items)
        return 0;
    a->items = items;
    a->cap = cap;
    return 1;
}

nyrt_err nyrt_arr_append_owned(nyrt_arr *a, nyrt_nyash_value *v) {
    if (!reserve(a, 1)) {
        nyrt_release_v(v);
        return nyrt_oom();
    }
    a->items[a->len++] = *v;
    return NYRT_OK;
}

nyrt_err nyrt_arr_append(nyrt_arr *a, const nyrt_nyash_value *v) {
    if (!reserve(a, 1))
        return nyrt_oom();
    nyrt_retain_v(v);
    a->items[a->len++] = *v;
    return NYRT_OK;
}

/* ---- the C API ------------------------------------------------------------------------------------------ */
static nyrt_arr *array_of(const nyrt_nyash_value *v) {
    return nyrt_obj_of(v, NYRT_TID_ARRAY);
}

static nyrt_err not_array(const nyrt_nyash_value *v) {
    return nyrt_fail(NYRT_E_TYPE, "expected an ArrayBox, got %s", v ? nyrt_val_type_name(v) : "NULL");
}

nyrt_err nyrt_arr_new(nyrt_nyash_value *out) {
    nyrt_arr *a = nyrt_arr_alloc(0);
    if (!a)
        return nyrt_oom();
    nyrt_val_of_obj(a, out);
    return NYRT_OK;
}

nyrt_err nyrt_arr_push(nyrt_nyash_value *arr, const nyrt_nyash_value *v) {
    nyrt_arr *a = array_of(arr);
    return a ? nyrt_arr_append(a, v) : not_array(arr);
}

int64_t nyrt_arr_len(const nyrt_nyash_value *arr) {
    nyrt_arr *a = array_of(arr);
    return a ? (int64_t)a->len : -1;
}

nyrt_err nyrt_arr_get(const nyrt_nyash_value *arr, int64_t i, nyrt_nyash_value *out) {
    nyrt_arr *a = array_of(arr);
    if (!a)
        return not_array(arr);
    if (i < 0 || (uint64_t)i >= a->len) {
        nyrt_v_null(out);
        return NYRT_OK;
    }
    *out = a->items[i];
    nyrt_retain_v(out);
    return NYRT_OK;
}

nyrt_err nyrt_arr_set(nyrt_nyash_value *arr, int64_t i, const nyrt_nyash_value *v) {
    nyrt_arr *a = array_of(arr);
    if (!a)
        return not_array(arr);
    if (i < 0 || (uint64_t)i >= a->len)
        return nyrt_fail(NYRT_E_ARG, "index %lld out of bounds", (long long)i);
    nyrt_nyash_value old = a->items[i];
    nyrt_retain_v(v);          /* retain first: v may be the element it replaces */
    a->items[i] = *v;
    nyrt_release_v(&old);
    return NYRT_OK;
}

/* ---- methods ---------------------------------------------------------------------------------------------- */
static nyrt_err m_push(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    nyrt_err e = nyrt_arr_append(SELF, a[0].v);
    return e != NYRT_OK ? e : nyrt_str_ok(ret);
}

static nyrt_err m_pop(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    nyrt_arr *arr = SELF;
    if (!arr->len)
        nyrt_v_null(ret);
    else
        *ret = arr->items[--arr->len];   /* the array's reference moves to the caller */
    return NYRT_OK;
}

static nyrt_err m_length(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    return ret_int((int64_t)SELF->len, ret);
}

static nyrt_err m_is_empty(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    return ret_bool(SELF->len == 0, ret);
}

static nyrt_err m_get(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    return nyrt_arr_get(self, a[0].i, ret);
}

static nyrt_err m_set(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    nyrt_arr *arr = SELF;
    if (a[0].i < 0 || (uint64_t)a[0].i >= arr->len)
        return nyrt_str_lit("Error: index out of bounds", ret);
    nyrt_nyash_value old = arr->items[a[0].i];
    nyrt_retain_v(a[1].v);
    arr->items[a[0].i] = *a[1].v;
    nyrt_release_v(&old);
    return nyrt_str_ok(ret);
}

static nyrt_err m_remove(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    nyrt_arr *arr = SELF;
    int64_t i = a[0].i;
    if (i < 0 || (uint64_t)i >= arr->len) {
        nyrt_v_null(ret);
        return NYRT_OK;
    }
    *ret = arr->items[i];
    memmove(arr->items + i, arr->items + i + 1, (arr->len - (size_t)i - 1) * sizeof *arr->items);
    arr->len--;
    return NYRT_OK;
}

static int64_t index_of(const nyrt_arr *arr, const nyrt_nyash_value *v) {
    for (size_t i = 0; i < arr->len; i++)
        if (nyrt_val_equals(&arr->items[i], v))
            return (int64_t)i;
    return -1;
}

static nyrt_err m_index_of(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    return ret_int(index_of(SELF, a[0].v), ret);
}

static nyrt_err m_contains(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    return ret_bool(index_of(SELF, a[0].v) >= 0, ret);
}

static nyrt_err m_join(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    nyrt_arr *arr = SELF;
    nyrt_buf b;
    nyrt_buf_init(&b);
    for (size_t i = 0; i < arr->len && !b.oom; i++) {
        if (i)
            nyrt_buf_add(&b, a[0].s->bytes, a[0].s->len);
        nyrt_disp_append(&b, &arr->items[i]);
    }
    return nyrt_buf_to_value(&b, ret);
}

static nyrt_err m_clear(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    nyrt_arr *arr = SELF;
    while (arr->len) {            /* pop one at a time: a release never sees a half-cleared array */
        nyrt_nyash_value v = arr->items[--arr->len];
        nyrt_release_v(&v);
    }
    return nyrt_str_ok(ret);
}

static nyrt_err m_reverse(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    nyrt_arr *arr = SELF;
    for (size_t i = 0, j = arr->len; i + 1 < j; i++, j--) {
        nyrt_nyash_value t = arr->items[i];
        arr->items[i] = arr->items[j - 1];
        arr->items[j - 1] = t;
    }
    return nyrt_str_ok(ret);
}

static nyrt_err m_sort(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    nyrt_arr *arr = SELF;
    if (!nyrt_arr_sort(arr->items, arr->len))
        return nyrt_oom();
    return nyrt_str_ok(ret);
}

static nyrt_err m_slice(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    nyrt_arr *arr = SELF;
    int64_t n = (int64_t)arr->len, start = a[0].i < 0 ? 0 : a[0].i, end = argc > 1 ? a[1].i : n;
    if (end < 0 || end > n)
        end = n;
    size_t count = start < end ? (size_t)(end - start) : 0;
    nyrt_arr *out = nyrt_arr_alloc(count);
    if (!out)
        return nyrt_oom();
    for (size_t i = 0; i < count; i++) {   /* shallow: the same values, retained */
        out->items[i] = arr->items[(size_t)start + i];
        nyrt_retain_v(&out->items[i]);
    }
    out->len = count;
    nyrt_val_of_obj(out, ret);
    return NYRT_OK;
}

const nyrt_method nyrt_arr_methods[] = {
    {"push", "v", m_push},
    {"pop", "", m_pop},
    {"length", "", m_length},
    {"size", "", m_length},
    {"len", "", m_length},
    {"isEmpty", "", m_is_empty},
    {"get", "i", m_get},
    {"set", "iv", m_set},
    {"remove", "i", m_remove},
    {"indexOf", "v", m_index_of},
    {"contains", "v", m_contains},
    {"join", "s", m_join},
    {"clear", "", m_clear},
    {"reverse", "", m_reverse},
    {"sort", "", m_sort},
    {"slice", "i[i]", m_slice},
    {NULL, NULL, NULL},
};
