"""Package discovery for the folder → import-name mapping (the rest is in pyproject.toml).

generator/ installs as ``carebase``, plugins/ as ``carebase.plugins``, theme/ as
``carebase.theme``; every subpackage below them is found here, so adding one needs no
edit (tests/packaging/test_wheel.py checks the wheel holds every file).
"""

from setuptools import find_packages, setup

FOLDERS = {"carebase": "generator", "carebase.plugins": "plugins", "carebase.theme": "theme"}

packages = []
for name, folder in FOLDERS.items():
    packages.append(name)
    packages += [f"{name}.{sub}" for sub in find_packages(folder)]

setup(packages=packages, package_dir=FOLDERS)
