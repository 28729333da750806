"""Maps the top-level backends/ and abi/ folders to nyash_run.backends and nyash_run.abi."""
from setuptools import find_packages, setup

EXTRA = {"nyash_run.backends": "backends", "nyash_run.abi": "abi"}
packages = find_packages(include=["nyash_run", "nyash_run.*"]) + [
    f"{pkg}.{sub}" if sub else pkg
    for pkg, folder in EXTRA.items()
    for sub in [""] + [p for p in find_packages(where=folder)]
]
setup(packages=packages, package_dir=EXTRA, include_package_data=True)
