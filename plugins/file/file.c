/* file.c -- FileBox: a text file, supplied through the C ABI only, flagged MAY_BLOCK (abi.md 1.1).
 *
 *   new FileBox(path)   create, then birth/1 stores the path (nothing is opened yet)
 *   open(mode)          "r" read, "w" write (truncate), "a" append        -> void
 *   read()              the rest of the file as a String                   (needs mode "r")
 *   write(text)         writes text; returns the number of bytes written   (needs mode "w" or "a")
 *   close()             closes                                             -> void
 *   exists()            whether the path names an existing file (Bool); works open or closed
 *   delete()            removes the file (it must be closed); returns whether it existed (Bool)
 *
 * Errors (the detail is logged through host->log just before the code is returned, so it becomes the
 * DETAIL of the PluginError): a bad mode -> E_ARG; a file that cannot be opened -> E_ARG; open() on an open
 * file, read()/write()/close() on a closed file, read() on a file opened for writing (and the reverse)
 * -> E_STATE; an I/O error -> E_ABORT; out of memory -> E_OOM. Arguments arrive in the C representation of
 * Strings (const char*, borrowed). A String returned by read() is allocated with host_alloc and handed
 * over with ret_own = TRANSFER; nyrt copies it and frees it with host_free.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/nyplug.h"

#define FILE_NAME "acme.FileBox"
#define LOG_ERROR 3

typedef struct filebox {
    uint32_t refs;
    char mode;        /* 0 closed, 'r', 'w' or 'a' */
    FILE *fp;
    char *path;       /* host_alloc'd, NUL-terminated; NULL until birth */
} filebox;

enum { OP_BIRTH, OP_OPEN, OP_READ, OP_WRITE, OP_CLOSE, OP_EXISTS, OP_DELETE };

static nyplug_method methods[] = {
    {"birth", 1, OP_BIRTH, 0}, {"open", 1, OP_OPEN, 0},   {"read", 0, OP_READ, 0},
    {"write", 1, OP_WRITE, 0}, {"close", 0, OP_CLOSE, 0}, {"exists", 0, OP_EXISTS, 0},
    {"delete", 0, OP_DELETE, 0},
};

static const char meta[] =
    "{\"methods\": {\"birth/1\": {}, \"open/1\": {}, \"read/0\": {\"ret\": \"nyash.core.String\"},"
    " \"write/1\": {\"ret\": \"nyash.core.Integer\"}, \"close/0\": {}, \"exists/0\": {\"ret\": \"nyash.core.Bool\"},"
    " \"delete/0\": {\"ret\": \"nyash.core.Bool\"}},"
    " \"birth_arity\": [1], \"singleton\": false}";

static const nyrt_host *host;
static nyrt_typebox typebox;
static const nyrt_typebox *typeboxes[1];

static nyrt_err failf(nyrt_err code, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (host->log)
        host->log(LOG_ERROR, msg);
    return code;
}

/* ---- lifetime --------------------------------------------------------------------------------------- */
static void *file_create(void *env) {
    (void)env;
    filebox *f = host->host_alloc(sizeof *f);
    if (f)
        memset(f, 0, sizeof *f), f->refs = 1;
    return f;
}

static void file_retain(void *inst) {
    if (inst)
        ((filebox *)inst)->refs++;
}

static void file_release(void *inst) {
    filebox *f = inst;
    if (!f || --f->refs != 0)
        return;
    if (f->fp)
        fclose(f->fp);
    if (f->path)
        host->host_free(f->path);
    host->host_free(f);
}

static nyrt_err file_to_nyash(const void *inst, nyrt_nyash_value *out, nyrt_ownership *own) {
    return nyplug_address_to_nyash(typebox.fast_key, inst, out, own);
}

static nyrt_err file_from_nyash(const nyrt_nyash_value *val, void **out, nyrt_ownership *own) {
    return nyplug_address_from_nyash(typebox.fast_key, val, out, own);
}

/* ---- methods ------------------------------------------------------------------------------------------ */
static nyrt_err file_birth(filebox *f, const char *path) {
    if (!path || !*path)
        return failf(NYRT_E_ARG, "FileBox needs a path");
    size_t size = strlen(path) + 1;
    char *copy = host->host_alloc(size);
    if (!copy)
        return NYRT_E_OOM;
    memcpy(copy, path, size);
    if (f->path)
        host->host_free(f->path);
    f->path = copy;
    return NYRT_OK;
}

static nyrt_err file_open(filebox *f, const char *mode) {
    if (!mode || (strcmp(mode, "r") != 0 && strcmp(mode, "w") != 0 && strcmp(mode, "a") != 0))
        return failf(NYRT_E_ARG, "unknown mode '%s' (expected r, w or a)", mode);
    if (!f->path)
        return failf(NYRT_E_STATE, "no path given");
    if (f->fp)
        return failf(NYRT_E_STATE, "%s is already open", f->path);
    char m[3] = {mode[0], 'b', 0};   /* binary: bytes in, bytes out, on every platform */
    f->fp = fopen(f->path, m);
    if (!f->fp)
        return failf(NYRT_E_ARG, "cannot open %s: %s", f->path, strerror(errno));
    f->mode = mode[0];
    return NYRT_OK;
}

static nyrt_err file_read(filebox *f, void **ret, nyrt_ownership *ret_own) {
    if (!f->fp)
        return failf(NYRT_E_STATE, "read() on a closed file");
    if (f->mode != 'r')
        return failf(NYRT_E_STATE, "read() on %s opened for writing", f->path);
    size_t cap = 256, len = 0;
    char *buf = host->host_alloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - 1 - len, f->fp);
        if (len < cap - 1)
            break;
        char *bigger = host->host_alloc(cap * 2);
        if (bigger)
            memcpy(bigger, buf, len);
        host->host_free(buf);
        buf = bigger;
        cap *= 2;
    }
    if (!buf)
        return NYRT_E_OOM;
    if (ferror(f->fp)) {
        host->host_free(buf);
        return failf(NYRT_E_ABORT, "read error on %s", f->path);
    }
    buf[len] = 0;
    *ret = buf;
    *ret_own = NYRT_OWN_TRANSFER;
    return NYRT_OK;
}

static nyrt_err file_write(filebox *f, const char *text, void **ret) {
    if (!f->fp)
        return failf(NYRT_E_STATE, "write() on a closed file");
    if (f->mode == 'r')
        return failf(NYRT_E_STATE, "write() on %s opened for reading", f->path);
    size_t n = text ? strlen(text) : 0;
    if (fwrite(text ? text : "", 1, n, f->fp) != n || fflush(f->fp) != 0)
        return failf(NYRT_E_ABORT, "write error on %s: %s", f->path, strerror(errno));
    *ret = (void *)(intptr_t)n;
    return NYRT_OK;
}

static nyrt_err file_close(filebox *f) {
    if (!f->fp)
        return failf(NYRT_E_STATE, "close() on a closed file");
    int bad = fclose(f->fp) != 0;
    f->fp = NULL;
    f->mode = 0;
    return bad ? failf(NYRT_E_ABORT, "close error on %s", f->path) : NYRT_OK;
}

static nyrt_err file_exists(filebox *f, void **ret) {
    if (!f->path)
        return failf(NYRT_E_STATE, "no path given");
    FILE *probe = fopen(f->path, "rb");
    if (probe)
        fclose(probe);
    *ret = (void *)(intptr_t)(probe != NULL);
    return NYRT_OK;
}

static nyrt_err file_delete(filebox *f, void **ret) {
    if (!f->path)
        return failf(NYRT_E_STATE, "no path given");
    if (f->fp)
        return failf(NYRT_E_STATE, "delete() on %s while it is open", f->path);
    *ret = (void *)(intptr_t)(remove(f->path) == 0);
    return NYRT_OK;
}

static nyrt_err file_op(filebox *f, int32_t op, const void *const *argv, void **ret, nyrt_ownership *ret_own) {
    *ret = NULL;
    *ret_own = NYRT_OWN_BORROW;
    if (op < 0)
        return NYRT_E_NOT_FOUND;
    if (!f)
        return NYRT_E_STATE;
    switch (op) {
    case OP_BIRTH: return file_birth(f, argv[0]);
    case OP_OPEN: return file_open(f, argv[0]);
    case OP_READ: return file_read(f, ret, ret_own);
    case OP_WRITE: return file_write(f, argv[0], ret);
    case OP_CLOSE: return file_close(f);
    case OP_EXISTS: return file_exists(f, ret);
    case OP_DELETE: return file_delete(f, ret);
    default: return NYRT_E_NOT_FOUND;
    }
}

static nyrt_err file_invoke_by_id(void *inst, uint64_t method, const void *const *argv, size_t argc,
                                  void **ret, nyrt_ownership *ret_own) {
    (void)argc;   /* the id names the arity ("open/1") */
    return file_op(inst, nyplug_op_by_id(methods, NYPLUG_COUNT(methods), method), argv, ret, ret_own);
}

static nyrt_err file_invoke_by_name(void *inst, const char *method, const void *const *argv, size_t argc,
                                    void **ret, nyrt_ownership *ret_own) {
    return file_op(inst, nyplug_op_by_name(methods, NYPLUG_COUNT(methods), method, argc), argv, ret, ret_own);
}

static const nyrt_c_vtable c_vtable = {file_create, file_retain, file_release, file_to_nyash, file_from_nyash,
                                       file_invoke_by_id, file_invoke_by_name};

NYPLUG_EXPORT nyrt_err nyash_plugin_init(const nyrt_host *h, const nyrt_runtime_info *info) {
    (void)info;
    if (!h || !h->host_alloc || !h->host_free)
        return NYRT_E_ARG;
    host = h;
    nyplug_methods_init(methods, NYPLUG_COUNT(methods));
    nyplug_typebox(&typebox, FILE_NAME, NYRT_TYPE_MAY_BLOCK, &c_vtable, NULL, meta);
    typeboxes[0] = &typebox;
    return NYRT_OK;
}

NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {
    *count = host ? 1 : 0;
    return typeboxes;
}
