/* map_ny.c -- nyash.core.Map (the MapBox of language.md §7.6) through the Nyash ABI only: abi_kind
 * NYRT_ABI_NYASH, c = NULL, so calls reach the plugin with no conversion (abi.md section 5).
 *
 * The map itself is ../common/mapcore.h and the Nyash vtable ../common/mapglue.h. Keys are display strings of
 * Integer, Float, Bool, null, void, String and MapBox keys; see ../common/nyvalue.h for what a map can hold.
 */
#include "../common/mapglue.h"

MAP_PLUGIN(NULL, &map_ny_vtable)
