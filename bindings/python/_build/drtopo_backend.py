"""A self-contained PEP 517 build backend for the drtopo bindings.

The package is pure Python, so building a wheel is zipping files and
writing the dist-info metadata. Doing it here, with the standard library
only, lets `pip install ./bindings/python` work on a machine that cannot
download setuptools into pip's isolated build environment (no network).
"""
import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "drtopo"


def _project():
    text = open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8").read()
    try:
        import tomllib  # Python 3.11+
        return tomllib.loads(text)["project"]
    except ImportError:  # older Pythons: the few keys we need
        def key(k):
            m = re.search(r'^%s\s*=\s*"([^"]*)"' % k, text, re.M)
            return m.group(1) if m else ""
        return {"name": key("name"), "version": key("version"),
                "description": key("description"),
                "requires-python": key("requires-python")}


def _metadata(p):
    lines = ["Metadata-Version: 2.1", "Name: %s" % p["name"],
             "Version: %s" % p["version"], "Summary: %s" % p.get("description", ""),
             "License: MIT"]
    if p.get("requires-python"):
        lines.append("Requires-Python: %s" % p["requires-python"])
    readme = os.path.join(HERE, "README.md")
    body = ""
    if os.path.exists(readme):
        lines.append("Description-Content-Type: text/markdown")
        body = "\n" + open(readme, encoding="utf-8").read()
    return "\n".join(lines) + "\n" + body


def _package_files():
    root = os.path.join(HERE, PACKAGE)
    for name in sorted(os.listdir(root)):
        if name.endswith(".py") or name == "py.typed":
            yield os.path.join(root, name), "%s/%s" % (PACKAGE, name)


def _record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "%s,sha256=%s,%d" % (arcname, digest.decode(), len(data))


def _write_wheel(wheel_directory, editable):
    p = _project()
    dist = "%s-%s" % (p["name"], p["version"])
    info = dist + ".dist-info"
    name = dist + "-py3-none-any.whl"
    files = []
    if editable:
        files.append((PACKAGE + ".pth", (HERE + "\n").encode()))
    else:
        for path, arc in _package_files():
            with open(path, "rb") as f:
                files.append((arc, f.read()))
    files.append((info + "/METADATA", _metadata(p).encode()))
    files.append((info + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: drtopo_backend\n"
                  b"Root-Is-Purelib: true\nTag: py3-none-any\n"))
    files.append((info + "/top_level.txt", (PACKAGE + "\n").encode()))
    record = [_record_line(a, d) for a, d in files] + [info + "/RECORD,,"]
    files.append((info + "/RECORD", ("\n".join(record) + "\n").encode()))
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w",
                         zipfile.ZIP_DEFLATED) as z:
        for arc, data in files:
            z.writestr(zipfile.ZipInfo(arc, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return name


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, editable=False)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, editable=True)


def build_sdist(sdist_directory, config_settings=None):
    p = _project()
    dist = "%s-%s" % (p["name"], p["version"])
    name = dist + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as t:
        for rel in ["pyproject.toml", "README.md", "_build/drtopo_backend.py"]:
            t.add(os.path.join(HERE, rel), arcname="%s/%s" % (dist, rel))
        for path, arc in _package_files():
            t.add(path, arcname="%s/%s" % (dist, arc))
        info = tarfile.TarInfo("%s/PKG-INFO" % dist)
        data = _metadata(p).encode()
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    return name
