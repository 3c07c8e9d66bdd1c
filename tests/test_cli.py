"The v2v_data console script end to end: it writes a data set that VideoFolder reads back, and demo videos."
import sys
from pathlib import Path
import torch
from v2v.data import VideoFolder, SyntheticScenes, HELD_OUT_SEED
from v2v.io import read_video


def test_writes_a_dataset_that_reads_back(tmp_path, run, bin_dir):
    out = tmp_path / 'set'
    r = run(bin_dir / 'v2v_data', out, '--n_videos', '2', '--n_frames', '5', '--size', '32', '--width', '48',
            '--seed', '3')
    assert 'wrote 2 clips' in r.stdout
    assert (out / 'classes.txt').read_text().split() [0] == 'sky'
    assert len(list((out / 'images' / 'clip0001').glob('*.png'))) == 5
    vf = VideoFolder(out, n_frames=5)
    ref = SyntheticScenes(2, 5, (32, 48), seed=3)[1]
    item = vf[1]
    assert torch.equal(item['label'], ref['label'])
    assert (item['image'] - ref['image']).abs().max() <= 1 / 127.5 + 1e-6
    assert (item['flow'][1:] - ref['flow'][1:]).abs().max() <= 1 / 128 + 1e-6


def test_demo_video(tmp_path, run, bin_dir):
    out = tmp_path / 'demo.mp4'
    run(bin_dir / 'v2v_data', out, '--n_frames', '6', '--size', '32', '--input', 'pose', '--demo')
    assert read_video(out).shape == (6, 3, 32, 128)
    assert not list(tmp_path.glob('.*tmp*'))


def test_bad_arguments_fail_clearly(tmp_path, run, bin_dir):
    r = run(bin_dir / 'v2v_data', tmp_path / 'x', '--input', 'depth', '--demo', ok=False)
    assert r.returncode != 0 and "'label', 'sketch', 'pose'" in r.stderr
    r = run(bin_dir / 'v2v_data', tmp_path / 'odd.mp4', '--size', '33', '--demo', ok=False)
    assert r.returncode != 0 and 'even' in r.stderr
    assert not (tmp_path / 'odd.mp4').exists()


def test_bench_writes_table_and_json(tmp_path, run, bin_dir):
    import json
    out = tmp_path / 'bench.json'
    r = run(bin_dir / 'v2v_bench', '--configs', 'tiny', '--sizes', '32x32,32x64', '--reps', '1', '--no_train',
            '--json', out)
    assert '| tiny | 32x64 | no |' in r.stdout and 'fp32 torch.mm' in r.stdout and 'GEMM peak' in r.stdout
    rows = json.loads(out.read_text())
    assert [x['size'] for x in rows] == ['32x32', '32x64']
    # twice the pixels, twice the FLOPs
    assert abs(rows[1]['gflop_per_frame'] / rows[0]['gflop_per_frame'] - 2) < 0.01
    # the GEMM peak is at least torch.mm's rate
    assert all(0 < x['frac_peak'] <= x['frac_matmul'] for x in rows)
    assert not list(tmp_path.glob('.*tmp*'))


def test_bench_bad_arguments(tmp_path, run, bin_dir):
    r = run(bin_dir / 'v2v_bench', '--sizes', '64by64', ok=False)
    assert r.returncode != 0 and '--sizes must look like' in r.stderr
    r = run(bin_dir / 'v2v_bench', '--configs', 'huge', ok=False)
    assert r.returncode != 0 and "unknown configs ['huge']" in r.stderr


def test_gpu_check_needs_cuda(tmp_path, run):
    "tools/gpu_check.py fills in GPU rows; without CUDA it stops with a message saying so and writes nothing."
    import pytest, torch
    if torch.cuda.is_available(): pytest.skip('a CUDA device is here: the check would run for real')
    root = Path(__file__).resolve().parents[1]
    r = run(sys.executable, root / 'tools' / 'gpu_check.py', '--out', tmp_path / 'g.json', ok=False)
    assert r.returncode != 0 and 'no CUDA device' in r.stderr
    assert not (tmp_path / 'g.json').exists()


def test_predict_writes_observed_then_predicted(tmp_path, run, bin_dir):
    ck = Path(__file__).resolve().parents[1] / 'data' / 'pretrained' / 'tiny-label-vid2vid.pt'
    out = tmp_path / 'future.mp4'
    r = run(bin_dir / 'v2v_predict', ck, out, '--labels', 'flow', '--n_obs', '4', '--n_pred', '3')
    assert 'wrote' in r.stdout and '4 observed + 3 predicted' in r.stdout
    assert read_video(out).shape == (7, 3, 64, 64)
    real = SyntheticScenes(1, 7, 64, seed=HELD_OUT_SEED)[0]['image'][:4]
    assert (read_video(out)[:4] - real).abs().mean() < 0.05          # the observed frames are the clip's own
    r = run(bin_dir / 'v2v_predict', ck, out, ok=False)                # no overwriting without --overwrite
    assert r.returncode != 0 and 'exists' in r.stderr
