/* map_c.c -- nyash.core.Map (the MapBox of language.md §7.6) through the C ABI only: abi_kind NYRT_ABI_C,
 * ny = NULL, so every call goes through nyrt's C-ABI bridge (abi.md section 5).
 *
 * The map itself is ../common/mapcore.h and the C vtable ../common/mapglue.h (its header comment lists
 * how each argument and result is represented). Keys are display strings of Integer, Float, Bool, null,
 * void, String and MapBox keys; see ../common/nyvalue.h for what a map can hold.
 */
#include "../common/mapglue.h"

MAP_PLUGIN(&map_c_vtable, NULL)
