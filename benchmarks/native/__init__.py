"""Native benchmarks of the plugin ABI: `python -m benchmarks.native` (see __main__.py)."""
