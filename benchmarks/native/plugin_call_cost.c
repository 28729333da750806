/* plugin_call_cost.c -- ns per plugin call from native code (abi.md 7.8): the Nyash-ABI path against the
 * C-ABI bridge, on the same MapBox methods, through nyrt's dispatch (nyrt_call_id with precomputed method
 * ids, as a backend's call site caches them). Also reported, for scale: the raw vtable call with no
 * dispatch, and nyrt's own builtin MapBox.
 *
 * Build (benchmarks/native/__main__.py does this):
 *        cc -std=c11 -O2 -pthread -Iabi/include plugin_call_cost.c <every abi/nyrt .c file> -ldl -lm
 * Run:   plugin_call_cost LIBMAP_NY LIBMAP_C [ITERATIONS]
 * Prints one line per measurement, the ratios bridge / Nyash ABI, and a final JSON line with every number
 * ("nyash_abi.size", "c_bridge.get", ..., "ratio.size", "ratio.get", "leaked_bytes") for the runner.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nyrt.h"

#define ROUNDS 7

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what, const char *detail) {
    fprintf(stderr, "plugin_call_cost: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

/* ---- what is measured ----------------------------------------------------------------------------------- */
typedef enum { VIA_DISPATCH, VIA_NY_VTABLE, VIA_C_VTABLE } via;

typedef struct bench {
    const char *name;
    via how;
    const nyrt_typebox *tb;
    nyrt_nyash_value self;
    uint64_t id;
    const char *method;
    const nyrt_nyash_value *args;
    size_t argc;
    int64_t checksum;
} bench;

static volatile int64_t sink;

/* One round of n calls; returns ns per call. Every result is released, as a caller must. */
static double run_round(bench *b, long n) {
    nyrt_nyash_value ret;
    int64_t acc = 0;
    double t0 = now_ns();
    switch (b->how) {
    case VIA_DISPATCH:
        for (long i = 0; i < n; i++) {
            if (nyrt_call_id(&b->self, b->id, b->method, b->args, b->argc, &ret) != NYRT_OK)
                die(b->name, nyrt_last_error_message());
            acc += (int64_t)ret.box_handle;
            nyrt_val_release(&ret);
        }
        break;
    case VIA_NY_VTABLE:
        for (long i = 0; i < n; i++) {
            nyrt_nyash_value me = b->self;
            if (b->tb->ny->invoke_by_id(&me, b->id, b->args, b->argc, &ret) != NYRT_OK)
                die(b->name, "invoke_by_id failed");
            acc += (int64_t)ret.box_handle;
            nyrt_val_release(&ret);
        }
        break;
    case VIA_C_VTABLE: {
        /* the C vtable of the unified/C map, arguments as the map's "nyash.core.Any" pointers */
        const void *argv[2] = {b->argc > 0 ? &b->args[0] : NULL, b->argc > 1 ? &b->args[1] : NULL};
        void *inst = (void *)(uintptr_t)b->self.box_handle, *rp;
        nyrt_ownership own;
        for (long i = 0; i < n; i++) {
            if (b->tb->c->invoke_by_id(inst, b->id, argv, b->argc, &rp, &own) != NYRT_OK)
                die(b->name, "invoke_by_id failed");
            acc += b->argc ? (int64_t)((const nyrt_nyash_value *)rp)->box_handle : (int64_t)(intptr_t)rp;
        }
        break;
    }
    }
    double t1 = now_ns();
    b->checksum = acc;
    sink += acc;
    return (t1 - t0) / (double)n;
}

static double measure(bench *b, long n) {
    double best = 1e30;
    run_round(b, n / 10 + 1);                  /* warm up caches and branch predictors */
    for (int r = 0; r < ROUNDS; r++) {
        double ns = run_round(b, n);
        if (ns < best)
            best = ns;
    }
    return best;
}

/* ---- setting up ------------------------------------------------------------------------------------------ */
/* Loads a plugin that supplies nyash.core.Map in place of the builtin (which every unload restores). */
static int32_t load(const char *path) {
    char err[2048] = "";
    nyrt_tb_unregister(nyrt_fast_key("nyash.core.Map"));
    int32_t id = nyrt_plugin_load(path, NULL, NULL, err, sizeof err);
    if (id < 0)
        die("cannot load plugin", err);
    return id;
}

static void unload(int32_t id) {
    char err[1024] = "";
    if (nyrt_plugin_unload(id, err, sizeof err) != NYRT_OK)
        die("cannot unload plugin", err);
}

/* A map with `entries` Int values under keys "k0".., and the String key "k7" to look up. */
static void fill(nyrt_nyash_value *map, int entries) {
    nyrt_nyash_value key, val, ret;
    char text[32];
    for (int i = 0; i < entries; i++) {
        snprintf(text, sizeof text, "k%d", i);
        nyrt_str_new(text, strlen(text), &key);
        nyrt_val_int(i * 10, &val);
        nyrt_nyash_value args[2] = {key, val};
        if (nyrt_call(map, "set", args, 2, &ret) != NYRT_OK)
            die("set failed", nyrt_last_error_message());
        nyrt_val_release(&ret);
        nyrt_val_release(&key);
    }
}

typedef struct result {
    char key[48];      /* JSON key, e.g. "c_bridge.get" */
    double ns;
} result;

static result results[16];
static int nresults;

static void report(bench *b, const char *path, const char *key, const char *method, long n) {
    double ns = measure(b, n);
    result *r = &results[nresults++];
    snprintf(r->key, sizeof r->key, "%s.%s", key, method);
    printf("  %-30s %-7s %8.2f ns/call   (checksum %" PRId64 ")\n", path, b->name, ns, b->checksum);
    fflush(stdout);
    r->ns = ns;
}

static double ns_of(const char *key) {
    for (int i = 0; i < nresults; i++)
        if (strcmp(results[i].key, key) == 0)
            return results[i].ns;
    return 0;
}

/* Times size() and get(k) on a new map of `tb`: through nyrt's dispatch, and with `raw` also straight
 * through the vtable (no dispatch: what a call costs the plugin itself). */
static void measure_map(const char *path, const char *key, const nyrt_typebox *tb, via raw, const char *raw_key,
                        long n) {
    nyrt_nyash_value map, k;
    if (nyrt_tb_create(tb, &map) != NYRT_OK)
        die("create failed", nyrt_last_error_message());
    fill(&map, 16);
    nyrt_str_new("k7", 2, &k);
    bench size = {"size()", VIA_DISPATCH, tb, map, nyrt_method_id("size", 0), "size", NULL, 0, 0};
    bench get = {"get(k)", VIA_DISPATCH, tb, map, nyrt_method_id("get", 1), "get", &k, 1, 0};
    report(&size, path, key, "size", n);
    report(&get, path, key, "get", n);
    if (raw != VIA_DISPATCH) {
        size.how = get.how = raw;
        report(&size, raw == VIA_NY_VTABLE ? "  raw ny vtable, no dispatch" : "  raw C vtable, no dispatch",
               raw_key, "size", n);
        report(&get, raw == VIA_NY_VTABLE ? "  raw ny vtable, no dispatch" : "  raw C vtable, no dispatch",
               raw_key, "get", n);
    }
    nyrt_val_release(&k);
    nyrt_val_release(&map);
}

int main(int argc, char **argv) {
    if (argc < 3)
        die("usage: plugin_call_cost LIBMAP_NY LIBMAP_C [ITERATIONS]", NULL);
    long n = argc > 3 ? strtol(argv[3], NULL, 10) : 2000000;
    if (n < 1)
        n = 1;
    if (nyrt_init() != NYRT_OK)
        die("nyrt_init failed", NULL);
    int64_t bytes0 = nyrt_mem_live_bytes();
    printf("ns per call, best of %d rounds of %ld calls (nyrt_call_id with a precomputed method id)\n", ROUNDS, n);

    /* nyrt's own MapBox, for scale */
    measure_map("builtin MapBox (nyrt)", "builtin", nyrt_tb_lookup_name("nyash.core.Map"), VIA_DISPATCH, NULL, n);

    /* a plugin supplying nyash.core.Map replaces the builtin, one plugin at a time */
    int32_t ny = load(argv[1]);
    measure_map("Nyash ABI (map_ny)", "nyash_abi", nyrt_plugin_type(ny, 0), VIA_NY_VTABLE, "nyash_abi_raw", n);
    unload(ny);

    int32_t c = load(argv[2]);
    const nyrt_typebox *ctb = nyrt_plugin_type(c, 0);
    measure_map("C-ABI bridge (map_c)", "c_bridge", ctb, ctb->c ? VIA_C_VTABLE : VIA_DISPATCH, "c_raw", n);
    unload(c);
    nyrt_tb_restore_core();

    double ratio_size = ns_of("c_bridge.size") / ns_of("nyash_abi.size");
    double ratio_get = ns_of("c_bridge.get") / ns_of("nyash_abi.get");
    printf("C bridge / Nyash ABI: size() %.2fx, get(k) %.2fx (target <= 1.5x)\n", ratio_size, ratio_get);
    printf("{\"iterations\": %ld, \"rounds\": %d", n, ROUNDS);
    for (int i = 0; i < nresults; i++)
        printf(", \"%s\": %.3f", results[i].key, results[i].ns);
    printf(", \"ratio.size\": %.3f, \"ratio.get\": %.3f, \"leaked_bytes\": %" PRId64 "}\n", ratio_size, ratio_get,
           nyrt_mem_live_bytes() - bytes0);
    return 0;
}
