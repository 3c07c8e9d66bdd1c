"""Train nbs/17_experiments.ipynb's repeated-comparison runs (v2v.experiments.comparison_runs), resumably.

    # MINUTES of CPU time per run (10); N processes of one thread (2)
    python tools/compare_runs.py [MINUTES] [--procs N] [--variants A,B]

Each run is a process of `python -m v2v.experiments train VARIANT OUT MINUTES --seed S`: it trains with
`train_for`, which counts CPU time and resumes from the run's checkpoint, so the command
can be stopped and started again: finished runs are skipped. Runs go to
nbs/runs/compare/v<variant>/seed<seed>; logs beside them.
"""
import argparse, os, subprocess, sys, time
from pathlib import Path

NBS = Path(__file__).resolve().parents[1] / 'nbs'


def main(argv=None):
    p = argparse.ArgumentParser('compare_runs', description=__doc__.splitlines()[0])
    p.add_argument('minutes', nargs='?', type=float, default=10.)
    p.add_argument('--procs', type=int, default=2)
    p.add_argument('--variants', help='comma-separated names of COMPARE_VARIANTS to train (default: all)')
    a = p.parse_args(argv)
    from v2v.experiments import comparison_runs
    todo, running = list(comparison_runs(variants=a.variants.split(',') if a.variants else None)), []
    env = dict(os.environ, OMP_NUM_THREADS='1')
    while todo or running:
        running = [(r, q) for r, q in running if q.poll() is None]
        while todo and len(running) < a.procs:
            name, seed, out = todo.pop(0)
            (NBS / out).mkdir(parents=True, exist_ok=True)
            log = open(NBS / out / 'train.log', 'a')
            # one run in its own process: `python -m v2v.experiments train` (see 17_experiments)
            cmd = [sys.executable, '-m', 'v2v.experiments', 'train', name, str(out), str(a.minutes),
                   '--seed', str(seed)]
            q = subprocess.Popen(cmd, cwd=NBS, env=env, stdout=log, stderr=log)
            running.append(((name, seed), q))
            print(f'started {name}, seed {seed} -> nbs/{out}', flush=True)
        time.sleep(5)


if __name__ == '__main__': main()
