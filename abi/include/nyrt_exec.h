/* nyrt_exec.h -- what compiled Nyash code calls: user-box instances, classes, singletons, fields, dynamic
 * method calls, construction, output, exceptions, and the start-up of a native executable.
 *
 * The LLVM backend (backends/llvm) lowers each MIR function to machine code; whatever is not a typed
 * Int/Float/Bool operation becomes a call into nyrt: the core boxes and operators of nyrt.h, and the
 * functions here. A native executable links the same code from libnyrt.a, so a JIT run and a native run
 * share every rule and message. Prefix: nyrt_x_ ("execution").
 *
 * Conventions.
 * - Values are nyrt_nyash_value, always passed by pointer. Results written through `out` are +1 owned by
 *   the caller; arguments are borrowed.
 * - A function returning int32_t returns NYRT_X_OK or NYRT_X_FAIL. On failure `*out` is left untouched and
 *   the failure is recorded: either as nyrt's last error (nyrt_last_error_message, as nyrt.h's functions do)
 *   or, when compiled code run from inside the call failed, as the pending exception. Compiled code then
 *   calls nyrt_x_fail_nyrt(pos) at the failing instruction, which turns nyrt's last error into the pending
 *   exception at position `pos`, unless an exception is already pending (it keeps the innermost position).
 * - `depth` is the call depth of the caller (the VM's `d`): a user method or constructor run from here runs
 *   at depth + 1, and fails with "Maximum call depth exceeded" when depth + 1 > NYRT_X_MAX_DEPTH.
 * - Positions are indexes into the program's position table (source spans); -1 means none.
 * - Everything here is per thread of execution in spirit but kept in plain globals: one program runs at a
 *   time in a process.
 */
#ifndef NYRT_EXEC_H
#define NYRT_EXEC_H

#include "nyrt.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NYRT_X_OK 0
#define NYRT_X_FAIL 1
#define NYRT_X_MAX_DEPTH 10000
/* The TypeBox name whose fast key is the type_id of every user-box instance (the class is in the object). */
#define NYRT_X_INSTANCE_TYPE "nyash.user.Instance"

/* ---- the program: classes and positions, emitted by the compiler as constant data --------------------- */
/* The generic entry of a user method, constructor or static block: `me` and `argc` arguments (argc is the
 * entry's nparams, already checked), result +1 into out (constructors and static blocks write void).
 * `depth` is the depth the body runs at. */
typedef int32_t (*nyrt_x_fn)(int64_t depth, const nyrt_nyash_value *me, const nyrt_nyash_value *args,
                             nyrt_nyash_value *out);

typedef struct nyrt_x_entry {
    int64_t name_id;           /* index of the method name in nyrt_x_program.names (constructors: -1) */
    int64_t nparams;           /* parameters besides me (constructors: the arity) */
    nyrt_x_fn fn;
} nyrt_x_entry;

typedef struct nyrt_x_class {
    const char *name;          /* "Point" */
    int64_t is_static;         /* 1 for a static box (one singleton, displayed <Name_singleton instance #N>) */
    int64_t nfields;           /* fields, own and inherited: every instance starts with these, all void */
    const char *const *fields;
    int64_t nmethods;          /* method table, inheritance resolved */
    const nyrt_x_entry *methods;
    int64_t nctors;            /* constructors by arity (birth, else pack, else init) */
    const nyrt_x_entry *ctors;
    nyrt_x_fn static_init;     /* the static block of a static box, or NULL */
} nyrt_x_class;

typedef struct nyrt_x_position {
    const char *where;         /* "file:line:col", or NULL when the position has no span */
    const char *context;       /* the source line, "\n", the caret line; or NULL */
} nyrt_x_position;

/* Entry points of a whole program (what `main` of a native executable runs). */
typedef int32_t (*nyrt_x_top_fn)(nyrt_nyash_value *out);                 /* top-level statements, depth 0 */
typedef int32_t (*nyrt_x_main_fn)(const nyrt_nyash_value *me, const nyrt_nyash_value *args,
                                  nyrt_nyash_value *out);                /* Main.main at depth 1; args may be NULL */

typedef struct nyrt_x_program {
    int64_t nclasses;
    const nyrt_x_class *classes;
    int64_t nnames;            /* method names used by classes and call sites (name_id -> text) */
    const char *const *names;
    int64_t npositions;
    const nyrt_x_position *positions;
    nyrt_x_top_fn top;
    nyrt_x_main_fn main;       /* NULL: the program has no Main.main */
    int64_t main_class;        /* class index of Main, or -1 */
    int64_t main_arity;        /* parameters Main.main declares */
    int64_t main_pos;          /* position of Main.main (for "Method main expects N arguments, got 0") */
    const char *file;          /* the program file, for errors without a span */
} nyrt_x_program;

/* Install a program: classes, names, positions. Resets the singletons, the serial counter and any pending
 * exception (a second program in the same process starts fresh). Returns NYRT_X_FAIL on a malformed table. */
int32_t nyrt_x_program_init(const nyrt_x_program *program);
const nyrt_x_program *nyrt_x_current_program(void);

/* ---- reference counts of a value held in registers ---------------------------------------------------------
 * nyrt_val_retain / nyrt_val_release of the value {type_id, handle, metadata}: compiled code keeps values in
 * registers and calls these for boxed ones (and, on cold paths, for any: inline and empty values are
 * no-ops), so no value has to be spilled to memory for the call. */
void nyrt_x_retain_v(uint64_t type_id, uint64_t handle, uint64_t metadata);
void nyrt_x_release_v(uint64_t type_id, uint64_t handle, uint64_t metadata);

/* ---- instances ---------------------------------------------------------------------------------------- */
uint64_t nyrt_x_instance_tid(void);        /* the type_id of instances (fast key of NYRT_X_INSTANCE_TYPE) */
int32_t nyrt_x_is_instance(const nyrt_nyash_value *v);   /* 1 for a user-box instance or singleton */
int64_t nyrt_x_class_of(const nyrt_nyash_value *v);      /* class index of an instance, -1 otherwise */
/* A new instance of class `cls`, every field void, the next serial number; no constructor run. */
int32_t nyrt_x_alloc(int64_t cls, nyrt_nyash_value *out);
/* The singleton of static box `cls` (+1), created on first use: serial taken, then its static block run at
 * depth + 1 (language.md 5.5). */
int32_t nyrt_x_singleton(int64_t depth, int64_t cls, nyrt_nyash_value *out);
/* The address of field `index` of an instance (class's field order); compiled code reads and writes
 * declared fields through it when it knows the class. NULL when v is not an instance. */
nyrt_nyash_value *nyrt_x_field_slot(const nyrt_nyash_value *v, int64_t index);
/* obj.name: "Field 'NAME' not found in CLASS", "Cannot access field 'NAME' on non-instance type TYPE". */
int32_t nyrt_x_get_field(const nyrt_nyash_value *obj, const char *name, nyrt_nyash_value *out);
/* obj.name = value (retains value, releases the old one; creates the field when the class lacks it):
 * "Cannot set field 'NAME' on non-instance type TYPE". */
int32_t nyrt_x_set_field(const nyrt_nyash_value *obj, const char *name, const nyrt_nyash_value *value);

/* ---- calls ------------------------------------------------------------------------------------------- */
/* recv.NAME(args): a user method by name (arity error "Method NAME expects N arguments, got M", missing
 * "Method 'NAME' not found in CLASS", toString/0 of an instance without one is its display string), else
 * nyrt_call_id(recv, method_key, name, args, argc) for core boxes and plugins. method_key is
 * nyrt_method_id(name, argc), precomputed by the compiler. */
int32_t nyrt_x_call_method(int64_t depth, const nyrt_nyash_value *recv, int64_t name_id, uint64_t method_key,
                           const nyrt_nyash_value *args, int64_t argc, nyrt_nyash_value *out);
/* A bare call NAME(args) inside a box: me's method NAME if me is an instance that has it, else
 * "Undefined function 'NAME'" (FunctionBox values do not exist in compiled code). */
int32_t nyrt_x_call_bare(int64_t depth, int64_t name_id, const nyrt_nyash_value *me,
                         const nyrt_nyash_value *args, int64_t argc, nyrt_nyash_value *out);
/* from PARENT.NAME(args) with me: for NAME birth/init/pack the parent's constructor of that arity (none and
 * argc == 0 is fine; else "No constructor found for parent class 'P' with N arguments"; the result is me),
 * else the parent's method ("Method 'NAME' not found in parent class 'P'", "Parent method P.NAME expects N
 * arguments, got M"). */
int32_t nyrt_x_from_call(int64_t depth, int64_t parent_cls, int64_t name_id, const nyrt_nyash_value *me,
                         const nyrt_nyash_value *args, int64_t argc, nyrt_nyash_value *out);
/* new NAME(args): a user box (constructor by arity at depth + 1; "No constructor found for NAME with N
 * arguments" when none and argc > 0), else a builtin or plugin type known to nyrt by its short name
 * (nyrt_tb_new), else "Unknown Box type: NAME". A static box's name is unknown here too. */
int32_t nyrt_x_new(int64_t depth, const char *name, const nyrt_nyash_value *args, int64_t argc,
                   nyrt_nyash_value *out);
/* Make `new NAME` fail with `message` (the host could not provide NAME: its plugin was refused, the name is
 * ambiguous); checked after user boxes, before plugin and builtin types. NULL name: forget every refusal. */
void nyrt_x_refuse_new(const char *name, const char *message);
/* The check before a devirtualised method call: OK when v is an instance; otherwise the failure that
 * calling NAME with no arguments on v gives (if that call succeeds, its result is dropped and OK returned). */
int32_t nyrt_x_expect_instance(const nyrt_nyash_value *v, int64_t name_id, uint64_t method_key0);
/* The '?' operator's test: *ok = 1/0 for a ResultBox; "'?' expects a ResultBox, got TYPE" otherwise. */
int32_t nyrt_x_result_ok(const nyrt_nyash_value *v, int32_t *ok);
/* "Undefined variable 'NAME'" as nyrt's last error; returns NYRT_X_FAIL. */
int32_t nyrt_x_undefined(const char *name);
/* A String constant for compiled code: *slot is filled once (an immortal String); later calls return at
 * once. Compiled code keeps one zeroed slot per literal. */
int32_t nyrt_x_intern(const char *utf8, int64_t len, nyrt_nyash_value *slot);

/* ---- String methods without the dispatch (the receiver and needle are Strings, the compiler checked) ------- */
/* s.substring(start) (nargs 1) or s.substring(start, end) (nargs 2), exactly as the method; +1 into out. */
nyrt_err nyrt_x_str_substring(const nyrt_nyash_value *s, int64_t start, int64_t end, int32_t nargs,
                              nyrt_nyash_value *out);
/* s.indexOf(needle) (nargs 1) or s.indexOf(needle, from) (nargs 2) for a String needle: the index or -1. */
int64_t nyrt_x_str_index_of(const nyrt_nyash_value *s, const nyrt_nyash_value *needle, int64_t from, int32_t nargs);

/* map.get(key) / map.has(key) / map.set(key, value) of nyrt's MapBox with a String key, without the dispatch:
 * the method's status, or -1 (nothing done) when the map is a plugin's or the key is not a String. */
#define NYRT_X_MAP_GET 0
#define NYRT_X_MAP_HAS 1
#define NYRT_X_MAP_SET 2
#define NYRT_X_MAP_SET_QUIET 3   /* set whose reply is unused: *out becomes void instead of "Set key: K" */
int32_t nyrt_x_map_direct(int32_t which, const nyrt_nyash_value *map, const nyrt_nyash_value *key,
                          const nyrt_nyash_value *value, nyrt_nyash_value *out);

/* ---- output --------------------------------------------------------------------------------------------- */
/* print(v): display(v) and "\n" through the output function (nyrt_set_output; stdout by default). */
int32_t nyrt_x_print(const nyrt_nyash_value *v);
/* Make `out` the ArrayBox of the program's argument strings (main's `args`). */
int32_t nyrt_x_argv(int64_t argc, const char *const *argv, nyrt_nyash_value *out);

/* ---- exceptions --------------------------------------------------------------------------------------- */
/* A runtime error with this exact message at pos becomes the pending exception (compiled code's own checks:
 * division by zero, call depth). Returns NYRT_X_FAIL. */
int32_t nyrt_x_fail(int32_t pos, const char *message);
/* After a nyrt or nyrt_x call failed at instruction `pos`: nyrt's last error message becomes the pending
 * exception at pos, unless one is already pending (then pos only fills in a position it lacks, -1: the innermost
 * known position wins, as the VM's locate). Returns NYRT_X_FAIL. */
int32_t nyrt_x_fail_nyrt(int32_t pos);
/* throw v at pos: an ErrorBox is thrown as is, anything else as ErrorBox(display(v)). Returns NYRT_X_FAIL. */
int32_t nyrt_x_throw(int32_t pos, const nyrt_nyash_value *v);
/* Raise a caught exception again, unchanged: same ErrorBox, same message, its original position. */
int32_t nyrt_x_rethrow(const nyrt_nyash_value *exc);
/* Catch the pending exception: *out = its ErrorBox (+1; ErrorBox(message) for a runtime error, remembering
 * the original position for nyrt_x_rethrow); nothing is pending afterwards. */
int32_t nyrt_x_catch(nyrt_nyash_value *out);
int32_t nyrt_x_pending(void);              /* 1 while an exception is pending */
/* What an uncaught error prints after "error: " ("" if none): a runtime error's message, or "Uncaught exception:
 * MSG" for a thrown ErrorBox (errors.py user_message). */
const char *nyrt_x_pending_message(void);
int32_t nyrt_x_pending_pos(void);          /* its position, -1 if none */
void nyrt_x_clear_pending(void);

/* ---- native executables -------------------------------------------------------------------------------- */
/* The whole run of a native executable: nyrt_init, plugins from nyash.toml (next to the program's file as
 * compiled, else the current directory; NYASH_CONFIG overrides), program init, top-level statements,
 * Main's singleton and Main.main(args) on a thread with a large stack; uncaught errors rendered on stderr as
 * the other modes do ("where: error: message", then the context lines); returns the exit status: 0, main's
 * Int & 255, 1 for an uncaught error or when the plugins cannot be loaded (as `nyash run`). */
int nyrt_x_native_main(const nyrt_x_program *program, int argc, char **argv);
/* Load every enabled plugin of a nyash.toml v3 file (abi.md section 6, the subset abi/config.py accepts:
 * [plugins.NAME] tables with path, abi, types, enabled, symbols; "{ext}" in a path; paths relative to the
 * file). Returns the number loaded, or -1 with one line per problem in err ("FILE: REASON"). */
int32_t nyrt_x_load_plugins(const char *toml_path, char *err, size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* NYRT_EXEC_H */
