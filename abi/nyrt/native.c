/* native.c -- nyrt_x_native_main (nyrt_exec.h): the whole run of a native executable, as `nyash run` does it
 * (nyash_run/driver.py run_file, report_error, exit_status).
 *
 *  1. nyrt_init; stdout fully buffered (flushed before anything goes to stderr, and at the end); plugin log
 *     lines go to stderr after the program's output so far, as abi/binding.py's stderr_log writes them.
 *  2. The config: $NYASH_CONFIG when set and not empty (the `--config` of `nyash run`; a file that does not
 *     exist is the error "NYASH_CONFIG: config file not found"), else nyash.toml in the folder of the program
 *     file as compiled (symbolic links resolved), else ./nyash.toml, else none. Its enabled plugins are loaded
 *     at once (nyrt_x_load_plugins). Each problem is one error line "FILE: error: LINE", FILE the program's
 *     path as compiled; the status is NATIVE_EXIT_CONFIG (1, what `nyash run` exits with for a PluginError).
 *     `nyash run` loads a plugin only when the program first makes one of its boxes, so a program that uses
 *     no plugin runs there even when a library is missing; here every enabled entry must load.
 *  3. nyrt_x_program_init; then, on a thread with a 512 MB stack (smaller ones if that fails; directly under
 *     WASI): the top-level statements, Main's singleton (its static block), the check of main's arity
 *     ("Method main expects N arguments, got 0" at main_pos), Main.main(args) with args the ArrayBox of
 *     argv[1..] when main declares one parameter.
 *  4. The status: main's Integer result & 255, else 0. An uncaught error: stdout flushed, then on stderr
 *     "WHERE: error: MESSAGE" and the position's context lines, or "FILE: error: MESSAGE" without a span
 *     (diagnostics.render_error); status 1. A thrown value that nobody caught reads
 *     "Uncaught exception: MESSAGE" (runtime/errors.py user_message), which is the pending message.
 */
#define _XOPEN_SOURCE 700

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifndef __wasi__
#include <pthread.h>
#endif

#include "nyrt_exec.h"

#define NATIVE_EXIT_OK 0
#define NATIVE_EXIT_ERROR 1            /* a Nyash error (driver.EXIT_ERROR) */
#define NATIVE_EXIT_CONFIG 1           /* a PluginError before the run: `nyash run` reports it as a Nyash error */
#define NATIVE_EXIT_INTERNAL 70        /* driver.EXIT_INTERNAL: malformed program tables */
#define CONFIG_NAME "nyash.toml"
#define ERR_CAP 65536
#define STACK_BYTES ((size_t)512 * 1024 * 1024)

/* ---- output ------------------------------------------------------------------------------------------------ */
static void native_log(int32_t level, const char *msg) {
    static const char *const names[] = {"debug", "info", "warning", "error"};
    if (level <= NYRT_LOG_DEBUG)
        return;
    fflush(stdout);
    fprintf(stderr, "nyash: plugin %s: %s\n", names[level > NYRT_LOG_ERROR ? NYRT_LOG_ERROR : level], msg);
    fflush(stderr);
}

/* One error without a source position (render_error with span None). */
static void report_plain(const char *file, const char *message) {
    fflush(stdout);
    if (file && *file)
        fprintf(stderr, "%s: error: %s\n", file, message);
    else
        fprintf(stderr, "error: %s\n", message);
    fflush(stderr);
}

/* ---- the config ---------------------------------------------------------------------------------------------- */
static int is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The nyash.toml beside the program (its folder after resolving links), into buf; 0 when there is none. */
static int beside_program(const char *file, char *buf, size_t cap) {
    if (!file || !*file)
        return 0;
    char *real = NULL;
#if !defined(__wasi__) && !defined(_WIN32)
    real = realpath(file, NULL);
#endif
    const char *path = real ? real : file;
    const char *slash = strrchr(path, '/');
    int n = !slash ? snprintf(buf, cap, "%s", CONFIG_NAME)
                   : snprintf(buf, cap, "%.*s/%s", (int)(slash - path), path, CONFIG_NAME);
    free(real);
    return n > 0 && (size_t)n < cap && is_file(buf);
}

/* Load the plugins of the config that applies; the exit status to stop with, or -1 to go on. */
static int load_config(const nyrt_x_program *program) {
    const char *override = getenv("NYASH_CONFIG");
    char beside[4096];
    const char *config = NULL;
    char *err = NULL;
    if (override && *override) {
        if (!is_file(override)) {
            err = malloc(strlen(override) + 32);
            if (err)
                sprintf(err, "%s: config file not found", override);
            report_plain(program->file, err ? err : "config file not found");
            free(err);
            return NATIVE_EXIT_CONFIG;
        }
        config = override;
    } else if (beside_program(program->file, beside, sizeof beside)) {
        config = beside;
    } else if (is_file(CONFIG_NAME)) {
        config = CONFIG_NAME;
    }
    if (!config)
        return -1;
    err = calloc(1, ERR_CAP);
    if (!err) {
        report_plain(program->file, "Out of memory");
        return NATIVE_EXIT_CONFIG;
    }
    if (nyrt_x_load_plugins(config, err, ERR_CAP) >= 0) {
        free(err);
        return -1;
    }
    for (char *line = err; *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next = 0;
        if (*line)
            report_plain(program->file, line);
        line = next ? next + 1 : line + strlen(line);
    }
    if (!*err)
        report_plain(program->file, "plugins cannot be loaded");
    free(err);
    return NATIVE_EXIT_CONFIG;
}

/* ---- the run ------------------------------------------------------------------------------------------------- */
typedef struct run {
    const nyrt_x_program *program;
    int argc;
    char **argv;
    int status;
} run;

/* After a failed step: nyrt's last error becomes the pending exception at pos unless one is pending. */
static int failed(int32_t pos) {
    nyrt_x_fail_nyrt(pos);
    return -1;
}

/* Top-level statements, then Main.main; the exit status, or -1 with an exception pending. */
static int run_steps(const run *r) {
    const nyrt_x_program *program = r->program;
    nyrt_nyash_value out, me, args, result;
    if (program->top) {
        nyrt_val_void(&out);
        if (program->top(&out) != NYRT_X_OK)
            return failed(-1);
        nyrt_val_release(&out);
    }
    if (!program->main)
        return NATIVE_EXIT_OK;
    int32_t main_pos = (int32_t)program->main_pos;
    if (nyrt_x_singleton(0, program->main_class, &me) != NYRT_X_OK)
        return failed(main_pos);
    if (program->main_arity > 1) {
        char message[128];
        snprintf(message, sizeof message, "Method main expects %lld arguments, got 0",
                 (long long)program->main_arity);
        nyrt_val_release(&me);
        nyrt_x_fail(main_pos, message);
        return -1;
    }
    int with_args = program->main_arity == 1;
    int skip = r->argc > 0;                  /* argv[0] is the executable */
    if (with_args && nyrt_x_argv(r->argc - skip, (const char *const *)(r->argv + skip), &args) != NYRT_X_OK) {
        nyrt_val_release(&me);
        return failed(main_pos);
    }
    int32_t code = program->main(&me, with_args ? &args : NULL, &result);
    if (with_args)
        nyrt_val_release(&args);
    nyrt_val_release(&me);
    if (code != NYRT_X_OK)
        return failed(main_pos);
    int status = NATIVE_EXIT_OK;             /* driver.exit_status: an Int & 255, anything else 0 */
    if (nyrt_val_kind(&result) == NYRT_TID_INTEGER)
        status = (int)((uint64_t)nyrt_val_as_int(&result) & 255u);
    nyrt_val_release(&result);
    return status;
}

static void run_program(run *r) {
    r->status = run_steps(r);
}

#ifndef __wasi__
static void *run_thread(void *arg) {
    run_program(arg);
    return NULL;
}

/* Run on a thread with a big stack (deep recursion, language.md 3.4); 0 when no thread could be made. */
static int run_on_thread(run *r) {
    for (size_t stack = STACK_BYTES; stack >= ((size_t)8 << 20); stack /= 2) {
        pthread_attr_t attr;
        pthread_t thread;
        if (pthread_attr_init(&attr) != 0)
            break;
        int ok = pthread_attr_setstacksize(&attr, stack) == 0 && pthread_create(&thread, &attr, run_thread, r) == 0;
        pthread_attr_destroy(&attr);
        if (ok)
            return pthread_join(thread, NULL) == 0;
    }
    pthread_t thread;
    return pthread_create(&thread, NULL, run_thread, r) == 0 && pthread_join(thread, NULL) == 0;
}
#endif

/* The uncaught error: render_error's text after the program's output. */
static void report_pending(const nyrt_x_program *program) {
    const char *message = nyrt_x_pending() ? nyrt_x_pending_message() : nyrt_last_error_message();
    int32_t pos = nyrt_x_pending() ? nyrt_x_pending_pos() : -1;
    const nyrt_x_position *where = pos >= 0 && pos < program->npositions && program->positions
                                   ? &program->positions[pos] : NULL;
    if (!where || !where->where) {
        report_plain(program->file, message);
        return;
    }
    fflush(stdout);
    fprintf(stderr, "%s: error: %s\n", where->where, message);
    if (where->context)
        fprintf(stderr, "%s\n", where->context);
    fflush(stderr);
}

int nyrt_x_native_main(const nyrt_x_program *program, int argc, char **argv) {
    static char out_buffer[1 << 16];
    setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
    if (nyrt_init() != NYRT_OK) {
        report_plain(program ? program->file : NULL, nyrt_last_error_message());
        return NATIVE_EXIT_INTERNAL;
    }
    nyrt_host_set_log(native_log);
    int status = load_config(program);
    if (status >= 0)
        return status;
    if (nyrt_x_program_init(program) != NYRT_X_OK) {
        fflush(stdout);
        fprintf(stderr, "nyash: internal error: %s\n", nyrt_last_error_message());
        fflush(stderr);
        return NATIVE_EXIT_INTERNAL;
    }
    run r = {program, argc, argv, 0};
#ifndef __wasi__
    if (!run_on_thread(&r))
#endif
        run_program(&r);
    fflush(stdout);
    if (r.status < 0) {
        report_pending(program);
        return NATIVE_EXIT_ERROR;
    }
    return r.status;
}
