"""The in-tree build backend makes an installable wheel with no network."""
import importlib.util
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_backend():
    spec = importlib.util.spec_from_file_location(
        "drtopo_backend", os.path.join(HERE, "_build", "drtopo_backend.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_backend_needs_nothing_to_build():
    b = load_backend()
    assert b.get_requires_for_build_wheel() == []
    assert b.get_requires_for_build_sdist() == []


def test_wheel_holds_the_package_and_valid_metadata(tmp_path):
    b = load_backend()
    name = b.build_wheel(str(tmp_path))
    version = b._project()["version"]
    assert name == "drtopo-%s-py3-none-any.whl" % version
    with zipfile.ZipFile(tmp_path / name) as z:
        names = set(z.namelist())
        assert {"drtopo/__init__.py", "drtopo/_lib.py", "drtopo/__main__.py",
                "drtopo/py.typed"} <= names
        info = "drtopo-%s.dist-info" % version
        meta = z.read(info + "/METADATA").decode()
        assert "Name: drtopo" in meta and ("Version: %s" % version) in meta
        record = z.read(info + "/RECORD").decode().splitlines()
        # every file but RECORD itself is listed with a hash
        listed = {line.split(",")[0] for line in record}
        assert names == listed


def test_version_matches_the_library_package():
    sys.path.insert(0, HERE)
    import drtopo
    assert drtopo.__version__ == load_backend()._project()["version"]
