#!/usr/bin/env python3
"""v2v's two commands. Needs only Python 3.9+ with pip and venv.

    python3 dev.py run     # set up ./.venv if needed, then run the main job
    python3 dev.py test    # set up ./.venv if needed, then run every test

Set-up is idempotent: it reinstalls only when settings.ini, setup.py or this file changed.
"""
import hashlib, os, subprocess, sys, time, venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / '.venv'
BIN = VENV / ('Scripts' if os.name == 'nt' else 'bin')
PY = BIN / ('python.exe' if os.name == 'nt' else 'python')
STAMP = VENV / '.v2v-setup'


def sh(*args, **kw):
    "Run a command from the repository root, echoing it; stop on failure."
    print('+', ' '.join(map(str, args)), flush=True)
    r = subprocess.run([str(a) for a in args], cwd=ROOT, **kw)
    if r.returncode: sys.exit(r.returncode)
    return r


def setup():
    "Create ./.venv and install v2v with its dev tools, unless already done for these files."
    key = hashlib.sha256(b''.join((ROOT / f).read_bytes() for f in ('settings.ini', 'setup.py', 'dev.py'))).hexdigest()
    if PY.exists() and STAMP.exists() and STAMP.read_text() == key: return
    t0 = time.time()
    if not PY.exists():
        print(f'creating {VENV}', flush=True)
        venv.create(VENV, with_pip=True)
    sh(PY, '-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-e', '.[dev]')
    STAMP.write_text(key)
    print(f'set-up done in {time.time() - t0:.0f} s', flush=True)


def snapshot(*globs):
    return {p: p.read_bytes() for g in globs for p in ROOT.glob(g)}


def check_sync():
    "Fail when nbdev_export or nbdev_clean would change v2v/ or nbs/ (as nbdev's own CI does)."
    before = snapshot('v2v/*.py', 'nbs/*.ipynb')
    sh(BIN / 'nbdev_clean'); sh(BIN / 'nbdev_export')
    after = snapshot('v2v/*.py', 'nbs/*.ipynb')
    changed = sorted(str(p.relative_to(ROOT)) for p in set(before) | set(after) if before.get(p) != after.get(p))
    if changed:
        print('These files were out of step with the notebooks (now fixed here; commit them):\n  ' + '\n  '.join(changed))
        sys.exit(1)
    sh(PY, 'tools/readme.py', '--check')


def proc_docs():
    "Process the notebooks for the docs (nbdev_proc_nbs, minus its Quarto download) and render HTML."
    sh(PY, 'tools/docs.py')


def test():
    setup()
    t0 = time.time()
    check_sync()
    proc_docs()
    sh(BIN / 'nbdev_test', '--n_workers', '2', '--timing')
    env = dict(os.environ, PYTHONPATH='')
    sh(PY, '-m', 'pytest', '-q', 'tests', env=env)
    print(f'all tests passed in {time.time() - t0:.0f} s')


def run():
    setup()
    out = ROOT / 'outputs' / 'synthetic_demo.mp4'
    sh(BIN / 'v2v_data', str(out), '--n_videos', '1', '--n_frames', '24', '--size', '128', '--width', '192', '--demo')
    print(f'main job done: open {out}')


if __name__ == '__main__':
    cmds = dict(run=run, test=test, setup=setup)
    if len(sys.argv) != 2 or sys.argv[1] not in cmds: sys.exit(__doc__)
    cmds[sys.argv[1]]()
