/* python_hooks.h -- cdef snippet, not C: the callbacks Python implements for nyrt (binding.py, with
 * @ffi.def_extern). build.py appends this file to the cffi cdef after nyrt.h; cffi generates their C side.
 * Each must catch every Python exception and turn it into a return code (abi.md section 4). */
extern "Python" void nyrt_py_host_retain(uint64_t handle);
extern "Python" void nyrt_py_host_release(uint64_t handle);
extern "Python" nyrt_err nyrt_py_host_call(uint64_t handle, const char *method, const nyrt_nyash_value *args,
                                           size_t argc, nyrt_nyash_value *ret);
extern "Python" void nyrt_py_log(int32_t level, const char *msg);
