"The built wheel installs into a fresh environment and works there, away from this checkout."
import sys, sysconfig, venv
from pathlib import Path
import zipfile

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_in_fresh_venv(tmp_path, run):
    run(sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q', '-w', tmp_path / 'dist', ROOT)
    whl, = (tmp_path / 'dist').glob('v2v-*.whl')
    names = zipfile.ZipFile(whl).namelist()
    assert 'v2v/data.py' in names and 'v2v/flow.py' in names
    assert not [n for n in names if n.startswith(('tests/', 'nbs/'))], 'the wheel must not ship tests or notebooks'
    env_dir = tmp_path / 'env'
    venv.create(env_dir, with_pip=True)
    py = env_dir / 'bin' / 'python'
    run(py, '-m', 'pip', 'install', '-q', '--no-deps', '--no-index', whl)
    # the heavy dependencies (torch, ...) come from this environment's site-packages, appended *after*
    # the fresh one's, and as a plain path: its editable-install hook for v2v is not activated
    site = Path(run(py, '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])').stdout.strip())
    (site / 'deps.pth').write_text(sysconfig.get_paths()['purelib'] + '\n')
    code = ("import v2v, v2v.data as d; print(v2v.__file__); "
            "it = d.SyntheticScenes(1, 3, 32)[0]; print(tuple(it['image'].shape))")
    r = run(py, '-c', code, cwd=tmp_path)
    assert str(env_dir) in r.stdout.splitlines()[0], 'v2v must be imported from the fresh environment'
    assert '(3, 3, 32, 32)' in r.stdout
    r = run(env_dir / 'bin' / 'v2v_data', tmp_path / 'demo.gif', '--n_frames', '3', '--size', '32', '--demo', cwd=tmp_path)
    assert (tmp_path / 'demo.gif').stat().st_size > 0
