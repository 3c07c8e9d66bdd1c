"Shared fixtures for the tests that notebooks cannot host (fresh installs, the CLI end to end)."
import os, socket, subprocess, sys, time
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    "Every collected test must come from this folder, never from a `tests` package elsewhere."
    for it in items:
        f = Path(it.module.__file__).resolve()
        if TESTS not in f.parents:
            raise pytest.UsageError(f"collected {it.nodeid} from {f}, outside {TESTS}")
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


CHROMIUM = Path('/usr/bin/chromium')
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync']


@pytest.fixture
def chromium():
    "Playwright's launch options for Debian's headless Chromium; the test is skipped if Chromium is missing."
    if not CHROMIUM.exists():
        pytest.skip(f'{CHROMIUM} is missing: `python3 dev.py test` installs the Debian package chromium with '
                    'apt-get, which needs root and the Debian mirror; either that failed (its message is '
                    'above) or pytest ran without dev.py')
    return dict(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)


@pytest.fixture
def free_port():
    "A free local TCP port."
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_listening(port, proc, name, timeout=60): # name: the server, for the messages
    "Wait until the server process accepts connections on the port (no page load: that would start a kernel)."
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None: pytest.fail(f'{name} exited with {proc.returncode}')
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1): return
        except OSError: time.sleep(0.1)
    pytest.fail(f'{name} did not listen on port {port} within {timeout} s')


@pytest.fixture
def listening():
    "`wait_listening` as a fixture, for the browser tests."
    return wait_listening
