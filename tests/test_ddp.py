"Multi-process training: v2v_train under torchrun, 2 CPU processes (gloo) vs 1, on the same global batch."
import os, shutil, subprocess, sys
from pathlib import Path
import pytest
import torch
import torch.distributed as dist

BIN, WORKER = Path(sys.executable).parent, Path(__file__).with_name('ddp_worker.py')
TORCHRUN = BIN / 'torchrun' if (BIN / 'torchrun').exists() else shutil.which('torchrun')
# for every test here
pytestmark = [pytest.mark.skipif(not dist.is_available() or not dist.is_gloo_available(),
                                 reason='torch.distributed with the gloo backend is not available'),
              pytest.mark.skipif(TORCHRUN is None, reason='torchrun is not installed')]
ENV = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH='')
# fp32 and lr 2e-4 (the tiny preset asks for bf16 on a CPU that has it, and 1e-3): the bounds below use both
ARGS = ['--n_videos', '4', '--batch_size', '4', '--n_frames', '5', '--steps', '2', '--log_every', '1',
        '--amp_cpu', 'false', '--lr', '2e-4', '--quiet']


def launch(*cmd):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=ENV, timeout=300)
    if r.returncode: pytest.fail(f"{cmd} exited {r.returncode}\n{r.stdout}\n{r.stderr[-4000:]}")
    return r


def test_two_processes_match_one(tmp_path):
    two = launch(TORCHRUN, '--standalone', '--nproc_per_node', '2', WORKER, *ARGS, '--out', tmp_path / 'two')
    launch(sys.executable, WORKER, *ARGS, '--out', tmp_path / 'one')
    # rank 0 alone speaks
    assert two.stdout.count('trained to step 2') == 1 and '2 processes' in two.stdout
    r0, r1, one = (torch.load(tmp_path / d / f'rank{r}.pt', weights_only=True)
                   for d, r in (('two', 0), ('two', 1), ('one', 0)))
    assert (r0['world'], r1['world'], one['world']) == (2, 2, 1)
    # DDP keeps the ranks in lockstep: the same averaged gradients, the same weights, bit for bit
    for m in ('G', 'D_I', 'D_V'):
        assert r0[m].keys() == r1[m].keys() and all(torch.equal(r0[m][k], r1[m][k]) for k in r0[m]), m
    assert all(torch.equal(r0['grads'][k], r1['grads'][k]) for k in r0['grads'])
    # and 2 processes x 2 clips average to the gradient of 1 process x 4 clips, up to float rounding
    # (measured: D 2e-6, G 9e-4). The discriminators' first gradients come before any update, so they must
    # agree tightly. The generator's come after the discriminators' first Adam step, which moves every weight
    # by about lr * sign(gradient): where rounding flips the sign of a tiny gradient, that weight moves the
    # other way, so the generator's gradients agree more loosely.
    for key, tol in (('grads_D', 1e-4), ('grads', 1e-2)):
        strip = lambda d: {k.removeprefix('module.'): v for k, v in d.items()}
        two_g, one_g = strip(r0[key]), strip(one[key])
        assert two_g.keys() == one_g.keys() and len(one_g) >= 6, key
        for k, g in one_g.items():
            err, scale = (two_g[k] - g).abs().max().item(), g.abs().max().item()
            assert err <= tol * scale + 1e-12, (f"{key} {k}: gradients differ by {err:.3g} "
                                                 f"(max |g| {scale:.3g})")
    # the final weights: Adam moves a weight by at most about lr = 2e-4 a step (1.05 lr with betas
    # (0.5, 0.999)), so where rounding flips a gradient's sign the runs part by at most about 2 lr a step,
    # 4.2 lr after 2 steps (measured: G 3.8e-4, D_I 2e-5, D_V 3e-7)
    for m in ('G', 'D_I', 'D_V'):
        two_w, one_w = {k.removeprefix('module.'): v for k, v in r0[m].items()}, one[m]
        err = max((two_w[k].float() - v.float()).abs().max().item() for k, v in one_w.items())
        print(f'{m}: 2 processes vs 1, largest weight difference {err:.2g}')
        assert err <= 5 * 2e-4, f'{m}: weights differ by {err:.3g}'
    assert (sorted(p.name for p in (tmp_path / 'two').iterdir())
            == ['checkpoint.pt', 'config.yaml', 'history.json', 'rank0.pt', 'rank1.pt', 'samples'])


def test_nan_on_one_rank_stops_all(tmp_path):
    """A NaN loss on rank 1 only: both ranks stop with the guard's message (rank 0 is not left waiting, nor
    merely killed). torchrun's agent checks its workers every 5 s here, so it cannot kill rank 0 before rank 0
    prints."""
    r = subprocess.run([str(TORCHRUN), '--standalone', '--nproc_per_node', '2', '--monitor-interval', '5',
                        str(WORKER), *ARGS, '--steps', '3', '--out', str(tmp_path / 'nan')],
                       capture_output=True, text=True, env=dict(ENV, V2V_TEST_NAN_RANK='1'), timeout=300)
    assert r.returncode != 0
    assert ('v2v_train: error: the generator loss is nan on rank 1 at step 1: training stopped'
            in r.stderr), r.stderr[-3000:]
    assert ('v2v_train: error: the generator loss is not finite on another rank (this is rank 0) at step 1'
            in r.stderr), r.stderr[-3000:]
