"""Run the bindings' pytest suite for meson; exit 77 (skip) without pytest."""

import sys

try:
    import pytest
except ImportError:
    print("pytest is not importable by %s: skipping (apt install python3-pytest)"
          % sys.executable)
    sys.exit(77)

# No cache directory in the source tree; verbose enough for a test log.
sys.exit(pytest.main(["-p", "no:cacheprovider", "-rfEs", "-q"] + sys.argv[1:]))
