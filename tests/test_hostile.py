"""Hostile and careless input, as a new user gives it: every case ends in a clear error (exact type, words
that name the problem) or the right result, and no user file changes unless the user asked for it (every
file hashed before and after)."""
import hashlib, os, subprocess, sys
from pathlib import Path
import pytest
import torch
import random, shutil, time
import numpy as np
from PIL import Image
from v2v.data import SyntheticScenes, VideoFolder, write_dataset
from v2v.checks import check_memory
from v2v.io import check_outputs, clean_stale, write_flow_png
from v2v.flow import warp
from v2v.generator import SequentialGenerator, FrameGenerator, generate
from v2v.metrics import warp_error
from v2v.config import TrainConfig
from v2v.train import Trainer

BIN = Path(sys.executable).parent
ENV = dict(os.environ, OMP_NUM_THREADS='1')
TINY = ['--n_videos', '2', '--batch_size', '2', '--n_frames', '6', '--log_every', '1', '--quiet']


def hashes(root):
    "sha256 of every file under root, by relative path."
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(root).rglob('*')) if p.is_file()}


def sh(*args):
    return subprocess.run([str(BIN / args[0]), *map(str, args[1:])], capture_output=True, text=True, env=ENV)


@pytest.fixture(scope='module')
def home(tmp_path_factory):
    "A user's folder: a tiny run, generated and real videos, a data set with label maps, an old JSON result."
    d = tmp_path_factory.mktemp('user')
    r = sh('v2v_train', *TINY, '--steps', '1', '--out', d / 'run')
    assert r.returncode == 0, r.stderr
    r = sh('v2v_generate', d / 'run' / 'checkpoint.pt', d / 'fake.mp4', '--n_frames', '6', '--real',
           d / 'real.mp4', '--quiet')
    assert r.returncode == 0, r.stderr
    write_dataset(SyntheticScenes(1, 6, 64, seed=3), d / 'data')
    (d / 'result.json').write_text('{"mine": 1}')
    (d / 'mine').mkdir()
    (d / 'mine' / 'config.yaml').write_text('# my settings\nngf: 8\n')
    (d / 'mine.json').mkdir()
    for name, text in dict(bad='ngf: [1\n', list='- 1\n', type='ngf: abc\n', typo='ngff: 3\n').items():
        (d / f'{name}.yaml').write_text(text)
    bad_sets(d / 'data', d / 'bad')
    whole = (d / 'fake.mp4').read_bytes()
    (d / 'trunc.mp4').write_bytes(whole[:len(whole) // 2])
    ck = (d / 'run' / 'checkpoint.pt').read_bytes()
    (d / 'trunc.pt').write_bytes(ck[:len(ck) // 2])
    (d / 'broken-run').mkdir()
    (d / 'broken-run' / 'checkpoint.pt').write_bytes(ck[:len(ck) // 3])
    return d


def png(path, arr): Image.fromarray(arr).save(path)

BAD_SETS = {  # name: (what is done to a copy of a good 1-clip, 6-frame set, the words of the error)
    'no-label': (lambda d: (d / 'labels/clip0000/000005.png').unlink(), '5 label maps for 6 frames'),
    'no-flow': (lambda d: (d / 'flow/clip0000/000002.png').unlink(), '5 flow files for 6 frames'),
    'class-id': (lambda d: png(d / 'labels/clip0000/000005.png', np.full((64, 64), 9, np.uint8)),
                 'class id 9 >= n_classes=8'),
    'label-size': (lambda d: png(d / 'labels/clip0000/000004.png', np.zeros((32, 64), np.uint8)),
                   'label size (32, 64) differs'),
    'frame-size': (lambda d: png(d / 'images/clip0000/000003.png', np.zeros((32, 64, 3), np.uint8)),
                   'frames of different sizes'),
    'flow-size': (lambda d: write_flow_png(d / 'flow/clip0000/000003.png', torch.zeros(2, 32, 64),
                                           torch.ones(1, 32, 64)), 'flow size (32, 64) differs'),
    'flow-not-kitti': (lambda d: shutil.copy(d / 'labels/clip0000/000000.png',
                                             d / 'flow/clip0000/000003.png'),
                       'expected a 16-bit 3-channel KITTI flow PNG'),
    'corrupt-frame': (lambda d: (d / 'images/clip0000/000002.png').write_bytes(b'not a png'),
                      '000002.png: not a readable image'),
    'no-classes': (lambda d: (d / 'classes.txt').unlink(), 'classes.txt: missing'),
}


def bad_sets(good, root):
    for name, (spoil, _) in BAD_SETS.items():
        shutil.copytree(good, root / name)
        spoil(root / name)


CLI_REFUSALS = [  # (command words with {d} for the user's folder, words the error must contain)
    (['v2v_eval', '{d}/real.mp4', '{d}/fake.mp4', '--json', '{d}/real.mp4'], 'would write over the input'),
    (['v2v_eval', '{d}/real.mp4', '{d}/fake.mp4', '--md', '{d}/fake.mp4'], 'would write over the input'),
    (['v2v_eval', '{d}/real.mp4', '{d}/fake.mp4', '--json', '{d}/result.json'], 'exists: pass --overwrite'),
    (['v2v_eval', '{d}/real.mp4', '{d}/fake.mp4', '--json', '{d}/o.json', '--md', '{d}/o.json'],
     'are the same path'),
    (['v2v_generate', '{d}/run/checkpoint.pt', '{d}/o.mp4', '--input', '{d}/data/labels/clip0000', '--frames',
      '{d}/data/labels/clip0000'], 'would write over the input'),
    (['v2v_generate', '{d}/run/checkpoint.pt', '{d}/o.mp4', '--input', '{d}/data/labels/clip0000', '--frames',
      '{d}/data/labels/clip0000/x'], 'would write over the input'),
    (['v2v_generate', '{d}/run/checkpoint.pt', '{d}/o.mp4', '--real', '{d}/o.mp4'], 'are the same path'),
    (['v2v_generate', '{d}/run/checkpoint.pt', '{d}/fake.mp4'], 'exists: pass --overwrite'),
    (['v2v_generate', '{d}/run/checkpoint.pt', '{d}/o.mp4', '--real', '{d}/real.mp4'],
     'exists: pass --overwrite'),
    (['v2v_train', *TINY, '--steps', '1', '--out', '{d}/run'],
     'pass --resume to continue it, --overwrite to start over'),
    (['v2v_train', *TINY, '--steps', '1', '--data', '{d}/data', '--out', '{d}/data/run'],
     'would write over the input'),
    (['v2v_train', *TINY, '--steps', '1', '--out', '{d}/result.json/run'],
     'the run folder cannot be written'),
    (['v2v_train', *TINY, '--steps', '1', '--out', '{d}/result.json'], 'is a file; the run needs a folder'),
    (['v2v_train', *TINY, '--decay_epochs', '-2', '--out', '{d}/r2'], 'decay_epochs must be >= 0'),
    (['v2v_train', *TINY, '--ckpt_every', '0', '--out', '{d}/r2'], 'ckpt_every must be >= 1'),
    (['v2v_train', *TINY, '--lr', '0', '--out', '{d}/r2'], 'need lr > 0'),
    (['v2v_generate', '{d}/run/checkpoint.pt', '{d}/o.mp4', '--device', 'gpu'],
     "device must be 'auto', 'cpu', 'cuda'"),
    (['v2v_generate', '{d}/run/checkpoint.pt', '{d}/o.mp4', '--device', 'cuda:7'], 'CUDA device'),
    (['v2v_generate', '{d}/run/checkpoint.pt', '{d}/o.mp4', '--fps', '-5', '--n_frames', '4'],
     'fps must be a number in (0, 1000]'),
    (['v2v_train', *TINY, '--device', 'gpu', '--out', '{d}/r2'], "device must be 'auto', 'cpu', 'cuda'"),
    (['v2v_data', '{d}/data', '--n_videos', '1', '--n_frames', '4', '--size', '32'],
     'exists: pass --overwrite'),
    (['v2v_data', '{d}/big', '--n_videos', '1', '--size', '100000'],
     'rendering one clip of 16 frames at 100000x100000 needs about'),
    (['v2v_data', '{d}/long', '--n_videos', '1', '--n_frames', '100000000', '--size', '64'], 'needs about'),
    (['v2v_data', '{d}/demo.gif', '--demo', '--size', '100000'], 'needs about'),
    (['v2v_data', '{d}/none', '--n_videos', '0'], '--n_videos must be >= 1'),
    (['v2v_data', '{d}/zero', '--n_frames', '0'], 'n_frames must be >= 1'),
    (['v2v_data', '{d}/small', '--size', '4'], 'size must be at least 8x8'),
    (['v2v_generate', '{d}/run/checkpoint.pt', '{d}/o.mp4', '--n_frames', '10000000'], 'needs about'),
    (['v2v_generate', '{d}/trunc.pt', '{d}/o.mp4'], 'trunc.pt'),
    (['v2v_generate', '{d}/run/checkpoint.pt', '{d}/o.mp4', '--input', '{d}/bad/class-id/labels/clip0000'],
     'class id 9'),
    (['v2v_eval', '{d}/real.mp4', '{d}/trunc.mp4'], 'trunc.mp4'),
    (['v2v_train', *TINY, '--height', '100000', '--width', '100000', '--out', '{d}/r2'], 'needs about'),
    (['v2v_train', *TINY, '--data', '{d}/data', '--n_frames', '12', '--out', '{d}/r2'],
     'no video has 12 frames (the longest has 6)'),
    (['v2v_train', '--out', '{d}/broken-run', '--resume', '--quiet'], 'broken-run/checkpoint.pt'),
    (['v2v_bench', '--sizes', '100000', '--no_train'], '--sizes must look like 64x64,128x256'),
    (['v2v_bench', '--sizes', '100000x100000', '--no_train'], 'benchmarking at 100000x100000 needs about'),
    (['v2v_bench', '--reps', '0'], '--reps must be >= 1'),
    (['v2v_bench', '--no_generator', '--presets', 'tiny', '--json', '{d}/result.json'],
     'exists: pass --overwrite'),
    (['v2v_bench', '--no_generator', '--presets', 'tiny', '--json', '{d}/data'],
     'is a folder: give the path of a .json file'),
    (['v2v_data', '{d}/demo.txt', '--demo'], '--demo writes a video: give a .mp4 or .gif path'),
    (['v2v_train', '--config', '{d}/bad.yaml', '--out', '{d}/r2'], 'not valid YAML'),
    (['v2v_train', '--config', '{d}/list.yaml', '--out', '{d}/r2'],
     'must hold a mapping of config fields, got list'),
    (['v2v_train', '--config', '{d}/type.yaml', '--out', '{d}/r2'], "ngf must be int, got 'abc'"),
    (['v2v_train', '--config', '{d}/typo.yaml', '--out', '{d}/r2'], "unknown TrainConfig fields ['ngff']"),
    # issue 31: nothing validated after something is destroyed; every file read is an input
    (['v2v_data', '{d}/data', '--input', 'sketch', '--overwrite', '--n_videos', '1', '--n_frames', '4'],
     'a data set is written with label input'),
    (['v2v_data', '{d}/data', '--seed', '-1', '--overwrite'], '--seed must be >= 0, got -1'),
    (['v2v_generate', '{d}/run/checkpoint.pt', '{d}/o.mp4', '--input', '{d}/data/labels/clip0000', '--frames',
      '{d}/data/images/clip0000', '--overwrite'], 'would write over the input'),
    (['v2v_predict', '{d}/run/checkpoint.pt', '{d}/data/labels/clip0000/f.mp4', '--input',
      '{d}/data/labels/clip0000'], 'would write over the input'),
    (['v2v_train', '--config', '{d}/mine/config.yaml', '--out', '{d}/mine', '--steps', '1'],
     'would write over the input'),
    (['v2v_eval', '{d}/real.mp4', '{d}/fake.mp4', '--json', '{d}/mine.json'], 'is a folder'),
] + [(['v2v_train', *TINY, '--data', '{d}/bad/' + name, '--out', '{d}/r2'], words)
     for name, (_, words) in BAD_SETS.items()]


@pytest.mark.parametrize('words,message', CLI_REFUSALS,
                         ids=[' '.join(w[:1] + [x for x in w[1:] if x.startswith('--')]) + f' #{i}'
                              for i, (w, _) in enumerate(CLI_REFUSALS)])
def test_cli_refuses_and_changes_nothing(home, words, message):
    before = hashes(home)
    r = sh(*[w.format(d=home) for w in words])
    assert r.returncode != 0 and 'Traceback' not in r.stderr, r.stderr
    assert message in r.stderr, r.stderr
    assert hashes(home) == before                                     # not one user file changed, none added


def test_overwrite_is_explicit_and_removes_stale_frames(home, tmp_path):
    frames = tmp_path / 'frames'
    frames.mkdir()
    [(frames / f'{t:06d}.png').write_bytes(b'old') for t in range(9)]
    (frames / 'notes.txt').write_text('mine')
    r = sh('v2v_generate', home / 'run' / 'checkpoint.pt', tmp_path / 'o.mp4', '--n_frames', '6', '--frames',
           frames, '--overwrite', '--quiet')
    assert r.returncode == 0, r.stderr
    # no frame of the longer run left
    assert sorted(p.name for p in frames.iterdir()) == [f'{t:06d}.png' for t in range(6)] + ['notes.txt']
    assert (frames / 'notes.txt').read_text() == 'mine'
    out = tmp_path / 'r.json'
    out.write_text('{}')
    r = sh('v2v_eval', home / 'real.mp4', home / 'fake.mp4', '--json', out, '--overwrite', '--skip',
           'lpips,tlp,fid')
    assert r.returncode == 0 and '"psnr"' in out.read_text(), r.stderr


def test_data_overwrite_replaces_clips_not_splices(tmp_path):
    d = tmp_path / 'set'
    assert sh('v2v_data', d, '--n_videos', '1', '--n_frames', '8', '--size', '32').returncode == 0
    (d / 'README.mine').write_text('mine')
    r = sh('v2v_data', d, '--n_videos', '1', '--n_frames', '4', '--size', '32', '--seed', '5', '--overwrite')
    assert r.returncode == 0, r.stderr
    # the new clip only, no old frame after it
    assert len(list((d / 'images' / 'clip0000').glob('*.png'))) == 4
    assert (d / 'README.mine').read_text() == 'mine'


G = SequentialGenerator(8, 3, ngf=8, n_downsample=2, n_blocks=1).eval()
G1 = FrameGenerator(8, ngf=8, n_downsample=2, n_blocks=1).eval()
LABELS = torch.nn.functional.one_hot(torch.randint(0, 8, (1, 5, 32, 32)), 8).permute(0, 1, 4, 2, 3).float()
NAN_FLOW = torch.zeros(1, 2, 8, 8).index_fill_(2, torch.tensor([3]), float('nan'))

LIBRARY = [  # (call, exception type, words)
    (lambda: warp(torch.rand(1, 3, 8, 8), NAN_FLOW), ValueError, 'NaN or infinite'),
    (lambda: warp(torch.rand(1, 3, 8, 8), torch.full((1, 2, 8, 8), float('inf'))), ValueError,
     'NaN or infinite'),
    (lambda: warp_error(torch.rand(1, 3, 3, 8, 8), NAN_FLOW[:, None].expand(1, 3, 2, 8, 8)), ValueError,
     'NaN or infinite'),
    (lambda: generate(G, LABELS, torch.full((1, 2, 3, 32, 32), 3.)), ValueError,
     'first_frames must be float in [-1, 1] or uint8, got values in [3, 3]'),
    (lambda: generate(G, LABELS * 255, first_G=G1), ValueError,
     'inputs must be float in [-1, 1] or uint8, got values in [0, 255]'),
    (lambda: generate(G, LABELS.double(), first_G=G1), TypeError, 'convert them'),
    (lambda: generate(G, LABELS.clone().index_fill_(1, torch.tensor([2]), float('nan')), first_G=G1),
     ValueError, 'inputs must be float in [-1, 1] or uint8, got NaN'),
    (lambda: generate(G, LABELS), ValueError, 'needs a first-frame generator'),
    (lambda: __import__('v2v.train', fromlist=['pick_device']).pick_device('gpu'), ValueError,
     "device must be 'auto'"),
    (lambda: __import__('v2v.io', fromlist=['write_video']).write_video('/tmp/never.gif',
                                                                        torch.zeros(2, 3, 8, 8), fps=0),
     ValueError, 'fps must be'),
    (lambda: TrainConfig.tiny(decay_epochs=-2), ValueError, 'decay_epochs must be >= 0'),
    (lambda: TrainConfig.tiny(ckpt_every=0), ValueError, 'ckpt_every must be >= 1'),
    (lambda: TrainConfig.tiny(log_every=0), ValueError, 'log_every must be >= 1'),
    (lambda: TrainConfig.tiny(sample_every=-1), ValueError, 'sample_every must be >= 0'),
    (lambda: TrainConfig.tiny(t_double_every=-1), ValueError, 't_double_every must be >= 0'),
    (lambda: TrainConfig.tiny(loss_weight=dict(flow=-1.)), ValueError, 'flow=-1.0'),
    (lambda: TrainConfig.tiny(lr=-1e-3), ValueError, 'need lr > 0'),
    (lambda: TrainConfig.tiny(beta1=1.), ValueError, 'beta1, beta2, ema < 1'),
    (lambda: TrainConfig.tiny(epochs=0, decay_epochs=0), ValueError, 'the schedule has no steps'),
    (lambda: TrainConfig.tiny(chunk=-1), ValueError, 'chunk (or 0)'),
    (lambda: TrainConfig.tiny(gan_scales='max'), ValueError, "gan_scales must be one of"),
    (lambda: TrainConfig.tiny(D_V_windows='some'), ValueError, "D_V_windows must be one of"),
    (lambda: SyntheticScenes(2, 16, 100_000), ValueError,
     'rendering one clip of 16 frames at 100000x100000 needs about'),
    (lambda: SyntheticScenes(2, 0, 64), ValueError, 'n_frames must be >= 1'),
    (lambda: check_memory(2 ** 62, 'a test'), ValueError, 'a test needs about'),
    (lambda: TrainConfig.tiny(height=62), ValueError, 'divisible by'),
    (lambda: VideoFolder('/nonexistent/set'), FileNotFoundError, 'images: missing'),
]


@pytest.mark.parametrize('call,kind,words', LIBRARY, ids=[f'library #{i}' for i in range(len(LIBRARY))])
def test_library_refuses(call, kind, words):
    with pytest.raises(kind) as e: call()
    assert words in str(e.value), str(e.value)


def test_trainer_checks_its_folder_before_training(tmp_path):
    (tmp_path / 'afile').write_text('x')
    with pytest.raises(ValueError, match='the run folder cannot be written'):
        Trainer(TrainConfig.tiny(out=str(tmp_path / 'afile' / 'run'), n_videos=2, batch_size=2, n_frames=6))
    assert (tmp_path / 'afile').read_text() == 'x'


def test_stale_temporaries_are_removed_at_start(tmp_path):
    dead = subprocess.Popen([sys.executable, '-c', 'pass'])
    dead.wait()
    run = tmp_path / 'run'
    run.mkdir()
    stale = [run / f'.checkpoint.{dead.pid}.tmp.pt', run / f'.history.{dead.pid}.tmp.json']
    for s in stale: s.write_bytes(b'half')
    Trainer(TrainConfig.tiny(out=str(run), n_videos=2, batch_size=2, n_frames=6))
    assert not any(s.exists() for s in stale)
    assert not list(run.glob('.*tmp*'))


def test_resume_uses_the_checkpoints_config_when_config_yaml_is_gone(tmp_path):
    run = tmp_path / 'run'
    assert sh('v2v_train', *TINY, '--steps', '1', '--out', run).returncode == 0
    # what a kill -9 right after the first checkpoint leaves
    (run / 'config.yaml').unlink()
    r = sh('v2v_train', '--out', run, '--resume', '--steps', '2', '--quiet')
    assert r.returncode == 0, r.stderr
    assert TrainConfig.load(run / 'config.yaml').n_videos == 2       # the run's 2 clips, not the preset's 32
    assert json_steps(run) == [1, 2]


def json_steps(run): return [h['step'] for h in __import__('json').loads((run / 'history.json').read_text())]


# seconds after the first checkpoint appears
KILL_AT = sorted(random.Random(14).uniform(0.2, 4.0) for _ in range(5))


@pytest.mark.parametrize('delay', KILL_AT, ids=[f'kill -9 at +{t:.2f} s' for t in KILL_AT])
def test_kill_during_checkpoint_writes(tmp_path, delay):
    "A run saving each step, killed at random: the checkpoint loads, the resumed run cleans up and goes on."
    run = tmp_path / 'run'
    q = subprocess.Popen([str(BIN / 'v2v_train'), *TINY, '--ckpt_every', '1', '--sample_every', '0',
                          '--steps', '200', '--out', str(run)],
                         env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.time()
    while not (run / 'checkpoint.pt').exists() and time.time() - t0 < 120: time.sleep(0.05)
    time.sleep(delay)
    q.kill()
    q.wait()
    from v2v.checkpoint import load_checkpoint
    step = load_checkpoint(run / 'checkpoint.pt')['step']            # never half-written
    assert step >= 1
    r = sh('v2v_train', '--out', run, '--resume', '--steps', step + 1, '--quiet')
    assert r.returncode == 0, r.stderr
    assert load_checkpoint(run / 'checkpoint.pt')['step'] == step + 1
    assert not list(run.glob('.*tmp*'))                              # a killed save's temporary file is gone
