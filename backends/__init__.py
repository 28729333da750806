"""The execution backends of nyash_run, installed as ``nyash_run.backends``."""
if __name__ == "backends":
    raise ImportError("import this package as nyash_run.backends, not as 'backends'")
