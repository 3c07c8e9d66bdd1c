"""The v2v_train, v2v_generate and v2v_eval console scripts end to end: train, resume, generate, evaluate,
and bad input. The scripts' parsing and messages are tested in-process in nbs/24_cli.ipynb; here, the
installed commands."""
import json, os, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
import torch
from v2v.data import SyntheticScenes, write_dataset
from v2v.io import read_video, read_image, write_png
from v2v.checkpoint import load_checkpoint

BIN = Path(sys.executable).parent
# one thread each: on a loaded machine OpenMP's spinning threads slow torch down
ENV = dict(os.environ, OMP_NUM_THREADS='1')
TINY = ['--n_videos', '4', '--batch_size', '2', '--n_frames', '6', '--log_every', '1', '--quiet']


def sh(script, *args, ok=True):
    "Run a console script; fail with its output when it fails (and ok)."
    r = subprocess.run([str(BIN / script), *map(str, args)], capture_output=True, text=True, env=ENV)
    if ok and r.returncode: pytest.fail(f"{script} {args} exited {r.returncode}\n{r.stdout}\n{r.stderr}")
    return r


def fails(*cmds):
    "Run console scripts (script, *args) that must fail, at once; for each: exit status, last stderr line."
    ps = [subprocess.Popen([str(BIN / c[0]), *map(str, c[1:])], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, env=ENV) for c in cmds]
    out = []
    for c, p in zip(cmds, ps):
        _, err = p.communicate()
        assert p.returncode and 'Traceback' not in err, (c, p.returncode, err)
        out.append((p.returncode, err.strip().splitlines()[-1]))
    return out


@pytest.fixture(scope='module')
def run(tmp_path_factory):
    "A tiny run: 2 steps, then resumed to 3 by a command that names only the folder."
    out = tmp_path_factory.mktemp('cli') / 'run'
    r = sh('v2v_train', *TINY, '--steps', '2', '--out', out)
    assert 'steps 0 -> 2' in r.stdout and (f'wrote {out / "checkpoint.pt"}, history.json, config.yaml, '
                                           f'samples/step_000002.gif' in r.stdout)
    r = sh('v2v_train', '--out', out, '--resume', '--steps', '3', '--quiet')
    assert 'steps 2 -> 3' in r.stdout
    return out


@pytest.fixture(scope='module')
def generated(run):
    "A held-out synthetic clip generated from the run, with its ground truth and frames."
    d = run.parent
    r = sh('v2v_generate', run / 'checkpoint.pt', d / 'fake.mp4', '--n_frames', '9', '--real', d / 'real.mp4',
           '--frames', d / 'frames', '--quiet')
    assert f'wrote {d / "fake.mp4"}: 9 frames at 64x64 from synthetic:seed=10000' in r.stdout
    return d


def test_train_then_resume(run):
    ck = load_checkpoint(run / 'checkpoint.pt')
    assert ck['step'] == 3 and [h['step'] for h in ck['history']] == [1, 2, 3]
    # the first command's flags, kept
    assert (ck['config']['n_videos'], ck['config']['batch_size'], ck['config']['n_frames']) == (4, 2, 6)
    assert sorted(p.name for p in (run / 'samples').iterdir()) == ['step_000002.gif', 'step_000003.gif']
    assert not list(run.glob('.*tmp*'))


def test_generate_synthetic(run, generated):
    d = generated
    assert read_video(d / 'fake.mp4').shape == (9, 3, 64, 64)             # longer than any training clip
    assert read_video(d / 'real.mp4').shape == (9, 3, 64, 64)
    assert len(list((d / 'frames').glob('*.png'))) == 9


def test_scrub_shows_what_generate_wrote(generated):
    from v2v.viewer import scrub, load_clip
    d = generated
    s = scrub({'generated (mp4)': d / 'fake.mp4', 'generated (frames)': d / 'frames', 'real': d / 'real.mp4'},
              zoom=1)
    assert s.titles == ['generated (mp4)', 'generated (frames)', 'real'] and s.n_frames == 9
    png, mp4 = load_clip(d / 'frames'), load_clip(d / 'fake.mp4')
    assert png.shape == mp4.shape == (9, 3, 64, 64) and str(png.dtype) == str(mp4.dtype) == "torch.uint8"
    # (9, 9): PNG frame i against mp4 frame j
    dist = (png[:, None].float() - mp4[None].float()).abs().mean((2, 3, 4))
    # the same frames, in order (lossless PNG vs lossy H.264)
    assert (dist.argmin(1) == torch.arange(9)).all(), dist


def test_generate_from_label_maps(run, tmp_path):
    root = write_dataset(SyntheticScenes(1, 6, 64, seed=5), tmp_path / 'set')
    r = sh('v2v_generate', run / 'checkpoint.pt', tmp_path / 'gen.gif', '--input',
           root / 'labels' / 'clip0000', '--frames', tmp_path / 'fr', '--side_by_side', '--quiet')
    # images/clip0000 is found as the ground truth
    assert 'input | generated | real' in r.stdout
    # the run has a first-frame generator: label-only by default
    assert 'start: from the labels only' in r.stdout
    assert read_video(tmp_path / 'gen.gif').shape == (6, 3, 64, 192)
    frame = lambda d, t: read_image(d / f'{t:06d}.png', 'RGB')
    assert not np.array_equal(frame(tmp_path / 'fr', 1), frame(root / 'images' / 'clip0000', 1))
    r = sh('v2v_generate', run / 'checkpoint.pt', tmp_path / 'gen2.gif', '--input',
           root / 'labels' / 'clip0000', '--frames', tmp_path / 'fr2', '--first_frames', 'real', '--quiet')
    assert 'start: the first 2 real frames' in r.stdout
    # first n_frames_G - 1: the real ones
    assert np.array_equal(frame(tmp_path / 'fr2', 1), frame(root / 'images' / 'clip0000', 1))
    assert not np.array_equal(frame(tmp_path / 'fr2', 2), frame(root / 'images' / 'clip0000', 2))


def test_eval(generated, tmp_path):
    d = generated
    r = sh('v2v_eval', d / 'real.mp4', d / 'fake.mp4', '--start', '2', '--json', tmp_path / 'm.json',
           '--md', tmp_path / 'm.md')
    res = json.loads((tmp_path / 'm.json').read_text())
    assert list(res['metrics']) == ['psnr', 'ssim', 'lpips', 'warp_error', 'warp_error_real', 'tof', 'tlp',
                                    'fid']
    m = res['metrics']
    assert (m['warp_error'] > m['warp_error_real'] > 0 and 0 < m['ssim'] < 1 and m['psnr'] > 0
            and res['frames'] == 7)
    # a value, or null with the reason (a missing weight file)
    for k, v in m.items():
        assert (v is None) == (k in res['notes']), (k, v, res['notes'])
        if v is None: assert 'weights not found' in res['notes'][k]
    assert (tmp_path / 'm.md').read_text() in r.stdout and '| warp_error_real |' in r.stdout
    assert not list(tmp_path.glob('.*tmp*'))


def test_bad_input_fails_clearly(run, generated, tmp_path):
    bad = tmp_path / 'labels'
    bad.mkdir()
    write_png(bad / '000000.png', np.full((64, 64), 9, np.uint8))
    (train, gen, ev) = fails(('v2v_train', '--height', '62'),
                             ('v2v_generate', run / 'checkpoint.pt', tmp_path / 'x.mp4', '--input', bad),
                             ('v2v_eval', generated / 'real.mp4', generated / 'frames'))
    assert train == (1, 'v2v_train: error: height and width must be divisible by '
                        '2**(n_downsample + n_scales - 1) = 4, got 62x64')
    assert (gen[0] == 1 and gen[1].startswith('v2v_generate: error:')
            and 'class id 9, but the generator was trained with 8 classes' in gen[1])
    assert not (tmp_path / 'x.mp4').exists()
    assert ev == (1, f"v2v_eval: error: REAL and FAKE must both be video files or both folders of videos, "
                     f"got {generated / 'real.mp4'} and {generated / 'frames'}")
