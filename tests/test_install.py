"The built wheel installs into a fresh environment and works there, away from this checkout."
import re, sys, sysconfig, venv
from pathlib import Path
import zipfile

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_in_fresh_venv(tmp_path, run):
    run(sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q', '-w',
        tmp_path / 'dist', ROOT)
    # the distribution's name; `v2v` on PyPI is another project
    whl, = (tmp_path / 'dist').glob('v2v_kit-*.whl')
    names = zipfile.ZipFile(whl).namelist()
    meta = zipfile.ZipFile(whl).read(next(n for n in names if n.endswith('.dist-info/METADATA'))).decode()
    assert 'Name: v2v-kit' in meta and 'Development Status :: 3 - Alpha' in meta
    assert 'Requires-Dist: fastcore<2,>=1.5.29' in meta or 'Requires-Dist: fastcore>=1.5.29,<2' in meta
    assert not re.findall(r'!\[[^\]]*\]\((?!https://)', meta), ('the package index shows only absolute '
                                                                'image URLs')
    assert 'v2v-0' not in ' '.join(names) and any(n.startswith('v2v_kit-') and n.endswith('LICENSE')
                                                  for n in names)
    assert 'v2v/data.py' in names and 'v2v/flow.py' in names
    assert not [n for n in names
                if n.startswith(('tests/', 'nbs/'))], 'the wheel must not ship tests or notebooks'
    env_dir = tmp_path / 'env'
    venv.create(env_dir, with_pip=True)
    py = env_dir / 'bin' / 'python'
    run(py, '-m', 'pip', 'install', '-q', '--no-deps', '--no-index', whl)
    # the light requirements resolve as a user's pip resolves them, from the package index and the wheel's
    # own bounds, without the dev pins: fastcore above all, whose major version changes how console flags
    # are spelled
    light = [l.split(':', 1)[1].strip() for l in meta.splitlines()
             if l.startswith('Requires-Dist:') and 'extra ==' not in l
             and l.split(':', 1)[1].strip().startswith(('fastcore', 'pyyaml', 'tqdm'))]
    assert len(light) == 3, light
    run(py, '-m', 'pip', 'install', '-q', '--disable-pip-version-check', *light)
    # the heavy dependencies (torch, ...) come from this environment's site-packages, appended *after*
    # the fresh one's, and as a plain path: its editable-install hook for v2v is not activated
    site = Path(run(py, '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])').stdout.strip())
    (site / 'deps.pth').write_text(sysconfig.get_paths()['purelib'] + '\n')
    code = ("import v2v, v2v.data as d; print(v2v.__file__); "
            "it = d.SyntheticScenes(1, 3, 32)[0]; print(tuple(it['image'].shape))")
    r = run(py, '-c', code, cwd=tmp_path)
    assert str(env_dir) in r.stdout.splitlines()[0], 'v2v must be imported from the fresh environment'
    assert '(3, 3, 32, 32)' in r.stdout
    fc = run(py, '-c', 'import fastcore; print(fastcore.__file__, fastcore.__version__)', cwd=tmp_path).stdout
    assert str(env_dir) in fc and fc.split()[1].startswith('1.'), fc
    r = run(env_dir / 'bin' / 'v2v_data', tmp_path / 'demo.gif', '--n_frames', '3', '--size', '32', '--demo',
            cwd=tmp_path)
    assert (tmp_path / 'demo.gif').stat().st_size > 0
    # every console script's documented example, shrunk to seconds (flags with underscores included)
    b = env_dir / 'bin'
    run(b / 'v2v_data', 'synthetic', '--n_videos', '2', '--n_frames', '6', '--size', '64', cwd=tmp_path)
    assert len(list((tmp_path / 'synthetic' / 'images').iterdir())) == 2
    run(b / 'v2v_train', '--data', 'synthetic', '--n_videos', '2', '--batch_size', '2', '--n_frames', '6',
        '--steps', '1', '--out', 'run', '--quiet', cwd=tmp_path)
    assert (tmp_path / 'run' / 'checkpoint.pt').is_file()
    ck = ROOT / 'data/pretrained/tiny-label-vid2vid.pt'
    run(b / 'v2v_generate', ck, 'sbs.mp4', '--n_frames', '8', '--side_by_side', '--quiet', cwd=tmp_path)
    run(b / 'v2v_generate', ck, 'out.mp4', '--n_frames', '8', '--real', 'real.mp4', '--quiet', cwd=tmp_path)
    r = run(b / 'v2v_eval', 'real.mp4', 'out.mp4', '--json', 'eval.json', cwd=tmp_path)
    assert 'psnr' in (tmp_path / 'eval.json').read_text()
    r = run(b / 'v2v_bench', '--configs', 'tiny', '--sizes', '32x32', '--reps', '1', '--no_train',
            cwd=tmp_path)
    assert '| tiny | 32x32 |' in r.stdout
