"Shared fixtures for the tests that notebooks cannot host (fresh installs, the CLI end to end)."
import os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    "Every collected test must come from this folder, never from a `tests` package elsewhere."
    for it in items:
        f = Path(it.module.__file__).resolve()
        if TESTS not in f.parents: raise pytest.UsageError(f"collected {it.nodeid} from {f}, outside {TESTS}")
    if os.environ.get('V2V_SLOW') != '1':
        skip = pytest.mark.skip(reason='slow: set V2V_SLOW=1 to run')
        for it in items:
            if 'slow' in it.keywords: it.add_marker(skip)


@pytest.fixture
def run():
    "Run a command, return the CompletedProcess; fail with its output when it fails."
    def _run(*args, ok=True, **kw):
        r = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
        if ok and r.returncode: pytest.fail(f"{args} exited {r.returncode}\n{r.stdout}\n{r.stderr}")
        return r
    return _run


@pytest.fixture
def bin_dir(): return Path(sys.executable).parent
