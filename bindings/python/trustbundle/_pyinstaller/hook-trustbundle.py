# PyInstaller hook for trustbundle (found through the pyinstaller40 entry point).
# The package imports its modules lazily (trustbundle.__getattr__,
# importlib), which PyInstaller's analysis cannot see, and keeps its roots
# as package data: cacert.pem for where(), capath/ for where_capath().
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

# Every module but trustbundle.adapters, which needs requests (an application
# that uses it imports it by name, which the analysis sees), and this hook's.
hiddenimports = collect_submodules(
    "trustbundle", filter=lambda name: not name.startswith(("trustbundle.adapters", "trustbundle._pyinstaller")))
datas = collect_data_files("trustbundle", excludes=["**/*.pyi"])
