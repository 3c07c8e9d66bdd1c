"""Measurements behind 15_training's "Training speed" section; runs against whichever v2v is on PYTHONPATH,
so an older checkout (a `git worktree` of the commit before) can be measured the same way.

  # one step: time, FLOPs, GEMM shares, profile
  python tools/train_speed.py step  LABEL PRESET [--compile] --out FILE.json
  # 40 steps of the tiny preset at 36-frame clips: losses
  python tools/train_speed.py curve LABEL SEED   [--compile] --out FILE.json
  # EdgeConv's layout off/on, alternating steps, one process
  python tools/train_speed.py ab    LABEL PRESET --out FILE.json

Each writes a new JSON file (an existing one is refused). What made data/bench/*.json is written in
data/bench/README.md.
"""
import argparse, json, statistics, time
from pathlib import Path
import torch, torch.nn.functional as F

def best_time(f, reps):
    best = float('inf')
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best

def rates(n=1024, reps=10):
    "(torch.mm FLOP/s, GEMM peak FLOP/s): the peak is the faster of torch.mm and oneDNN's 1x1 convolution."
    a, b = torch.randn(n, n), torch.randn(n, n)
    x, w = torch.randn(1, n, 32, 32), torch.randn(n, n, 1, 1)
    mm = 2 * n ** 3 / best_time(lambda: a @ b, reps)
    return mm, max(mm, 2 * n * n * 1024 / best_time(lambda: F.conv2d(x, w), reps))

def trainer(preset, out, **kw):
    from v2v.config import TrainConfig
    from v2v.train import Trainer
    cfg = TrainConfig.preset(preset, out=out, **kw)
    torch.manual_seed(0)
    return Trainer(cfg.updated(t_start=cfg.n_frames, t_double_every=0, n_videos=cfg.batch_size))

def step(a, tmp):
    from torch.utils.flop_counter import FlopCounterMode
    from torch.profiler import profile, ProfilerActivity
    tr = trainer(a.preset, tmp, **(dict(compile=True) if a.compile else {}))
    b = tr.batch(0)
    t0 = time.perf_counter()
    tr.train_step(b)
    first = time.perf_counter() - t0
    with FlopCounterMode(display=False) as fc: tr.train_step(b)
    flops, runs = fc.get_total_flops(), []
    for _ in range(3):
        t0 = time.perf_counter()
        tr.train_step(b)
        runs.append((time.perf_counter() - t0, *rates()))
    with profile(activities=[ProfilerActivity.CPU]) as p: tr.train_step(b)
    med = lambda i: statistics.median(flops / r[0] / r[i] for r in runs)
    return dict(label=a.label, preset=a.preset, compiled=a.compile, first_step_s=first,
                seconds_per_step=min(r[0] for r in runs), gflop_per_step=flops / 1e9, frac_matmul=med(1),
                frac_peak=med(2), runs=runs,
                profile={e.key: (e.count, e.self_cpu_time_total / 1e3) for e in p.key_averages()
                         if e.self_cpu_time_total > 0})

def curve(a, tmp):
    from v2v.config import TrainConfig
    from v2v.train import Trainer
    # older checkouts have no compile field
    cfg = TrainConfig.tiny(out=tmp, seed=a.seed, t_start=36, t_double_every=0, log_every=1,
                           ckpt_every=10 ** 6, **(dict(compile=True) if a.compile else {}))
    return dict(label=a.label, seed=a.seed, compiled=a.compile,
                history=Trainer(cfg).fit(steps=40, progress=False).history)

def ab(a, tmp, rounds=6):
    "Paired: the same trainer and batch; steps alternate plain-layout and channels-last edge convolutions."
    from v2v.layers import EdgeConv
    tr = trainer(a.preset, tmp)
    b, times = tr.batch(0), {False: [], True: []}
    tr.train_step(b)
    for _ in range(rounds):
        for on in (False, True):
            EdgeConv.channels_last = on
            t0 = time.perf_counter()
            tr.train_step(b)
            times[on].append(time.perf_counter() - t0)
    EdgeConv.channels_last = True
    return dict(label=a.label, preset=a.preset, nchw=times[False], channels_last=times[True],
                best_ratio=min(times[False]) / min(times[True]),
                median_ratio=statistics.median(times[False]) / statistics.median(times[True]))

def main(argv=None):
    p = argparse.ArgumentParser('train_speed', description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest='what', required=True)
    s = sub.add_parser('step')
    s.add_argument('label')
    s.add_argument('preset', choices=('tiny', 'small'))
    c = sub.add_parser('curve')
    c.add_argument('label')
    c.add_argument('seed', type=int)
    for q in (s, c): q.add_argument('--compile', action='store_true')
    e = sub.add_parser('ab')
    e.add_argument('label')
    e.add_argument('preset', choices=('tiny', 'small'))
    for q in (s, c, e): q.add_argument('--out', required=True)
    a = p.parse_args(argv)
    if Path(a.out).exists(): raise SystemExit(f"train_speed: {a.out} exists; choose another --out")
    import tempfile
    with tempfile.TemporaryDirectory() as tmp: res = dict(step=step, curve=curve, ab=ab)[a.what](a, tmp)
    res.update(date=time.strftime('%Y-%m-%d %H:%M'), torch=torch.__version__, threads=torch.get_num_threads())
    Path(a.out).write_text(json.dumps(res))
    if a.what == 'ab':
        print(f"{a.preset}: NCHW / channels-last edge convolutions: best {res['best_ratio']:.3f}x, "
              f"median {res['median_ratio']:.3f}x")
    if a.what == 'step':
        print(f"{a.label} {a.preset} compiled={a.compile}: {res['seconds_per_step']:.3f} s/step, "
              f"{res['gflop_per_step']:.1f} GFLOP, "
              f"{res['frac_matmul']:.0%} of torch.mm, {res['frac_peak']:.0%} of the GEMM peak")

if __name__ == '__main__': main()
