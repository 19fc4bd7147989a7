"""Files shipped inside the package: scenarios, datasets, reference tables and notebooks.

A folder of data, not code: locate its files with :mod:`influence_kit.package_data`.
This file holds no code; it makes the folder a module that the import contracts in
``pyproject.toml`` can name, so that no module imports it.
"""
