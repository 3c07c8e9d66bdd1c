"""One lever of issue 28's screen: the tiny preset with some overrides, trained on a CPU budget, then scored.

    OMP_NUM_THREADS=1 python tools/lever_screen.py NAME '{"init": "official"}' --minutes 12

Trains into runs/levers/NAME (resumable: rerun the same command after a stop), then writes
data/levers/NAME.json (overrides, CPU minutes, steps, wall time, machine, date, `experiments.scorecard`) and
data/levers/NAME.png (held-out clip 0 from labels alone: truth above, the model below, every 6th frame).
"""
import argparse, datetime, json, os, platform, re, time
from pathlib import Path
import torch
from torchvision.utils import save_image
from v2v.io import atomic_write_text
from v2v.checkpoint import load_generator
from v2v.experiments import train_for, scorecard, comparison_clips
from v2v.generator import generate


def cpu_model():
    for line in Path('/proc/cpuinfo').read_text().splitlines() if Path('/proc/cpuinfo').exists() else ():
        if line.startswith('model name'): return line.split(':', 1)[1].strip()
    return platform.processor() or 'unknown CPU'


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('name', help="the lever's name: letters, digits, - and _")
    p.add_argument('overrides', help='TrainConfig overrides of the tiny preset, as JSON')
    p.add_argument('--minutes', type=float, default=12., help='CPU minutes of training')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--root', default='runs/levers', help='where the runs go')
    p.add_argument('--out', default='data/levers', help='where the scores and frames go')
    a = p.parse_args()
    if not re.fullmatch(r'[\w-]+', a.name): p.error(f"name must be letters, digits, - and _, got {a.name!r}")
    over = json.loads(a.overrides)
    if not isinstance(over, dict): p.error(f"overrides must be a JSON object, got {a.overrides!r}")
    run, out = Path(a.root) / f'{a.name}-seed{a.seed}', Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    tr, spent = train_for(over, run, a.minutes, seed=a.seed)
    wall = time.time() - t0
    G, _ = load_generator(run / 'checkpoint.pt')
    data = comparison_clips()
    card = scorecard(G, data)
    with torch.no_grad(): fake = generate(G, data['label'][:1])[0]
    save_image(torch.cat([data['image'][0, ::6], fake[::6]]).add(1).div(2), out / f'{a.name}.png', nrow=8)
    res = dict(name=a.name, overrides=over, seed=a.seed, cpu_minutes=round(spent, 2), steps=tr.step,
               wall_minutes_this_call=round(wall / 60, 2), threads=torch.get_num_threads(), cpu=cpu_model(),
               date=datetime.date.today().isoformat(), torch=torch.__version__,
               command=f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '')} "
                       f"python tools/lever_screen.py "
                       f"{a.name} '{a.overrides}' --minutes {a.minutes:g} --seed {a.seed}",
               scorecard=card)
    atomic_write_text(out / f'{a.name}.json', json.dumps(res, indent=1))
    print(json.dumps(res, indent=1))


if __name__ == '__main__':
    main()
