"""The native runtime (nyrt) binding and the TypeBox plugin ABI, installed as ``nyash_run.abi``."""
if __name__ == "abi":
    raise ImportError("import this package as nyash_run.abi, not as 'abi'")
