"""The abi layer's one exception type.

In: raised by config.py (a nyash.toml that cannot be read or does not follow abi.md §6) and by the plugin
checks that happen before a program runs. Out: rendered by the driver like any NyashError, without a source
position. A failing *call* into a plugin is not a PluginError but a NyashRuntimeError whose message starts
with `PluginError:` (abi/README.md "Errors"), so that Nyash code can catch it and backends can position it.
"""
from __future__ import annotations

from nyash_run.diagnostics import NyashError


class PluginError(NyashError):
    """A nyash.toml or plugin-loading problem; `message` names the file (and the plugin, type and rule)."""
