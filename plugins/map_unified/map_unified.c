/* map_unified.c -- nyash.core.Map (the MapBox of language.md §7.6) with both vtables: abi_kind
 * NYRT_ABI_UNIFIED. nyrt prefers the Nyash ABI; the C vtable is there for hosts (and the native cost
 * benchmark) that speak only C. Both vtables work on the same instances.
 *
 * The map itself is ../common/mapcore.h and the vtables ../common/mapglue.h.
 */
#include "../common/mapglue.h"

MAP_PLUGIN(&map_c_vtable, &map_ny_vtable)
