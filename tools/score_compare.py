"""Score the runs of nbs/10_experiments.ipynb's repeated comparison as they finish training, then write the table.

    python tools/score_compare.py [MINUTES=10] [--wait]   # --wait: poll until every run has finished, scoring each as it does

A run has finished when its schedule has ended or MINUTES of CPU time are spent (as tools/compare_runs.py trains it).
Scores go beside each checkpoint (scores-sets.json, kept until the checkpoint changes); the table goes to
nbs/runs/compare/table.md, with the date, the machine and the scoring time.
"""
import argparse, json, os, platform, time
from pathlib import Path

NBS = Path(__file__).resolve().parents[1] / 'nbs'


def finished(run, minutes, total):
    m, h = run / 'minutes.json', run / 'history.json'
    if not (m.is_file() and h.is_file() and (run / 'checkpoint.pt').is_file()): return False
    return json.loads(m.read_text()) >= minutes or json.loads(h.read_text())[-1]['step'] >= total


def main(argv=None):
    p = argparse.ArgumentParser('score_compare', description=__doc__.splitlines()[0])
    p.add_argument('minutes', nargs='?', type=float, default=10.)
    p.add_argument('--wait', action='store_true')
    a = p.parse_args(argv)
    os.chdir(NBS)
    import torch
    from v2v.experiments import comparison_runs, comparison_clips, score_runs, comparison_table
    from v2v.train import TrainConfig
    from v2v.data import atomic_write_text
    runs, data, total, t0 = comparison_runs(), comparison_clips(), TrainConfig.tiny().total_steps(), time.time()
    while True:
        done = [r for r in runs if finished(r[2], a.minutes, total)]
        scores = score_runs(done, data, sets=True, progress=False)
        print(f'{time.strftime("%H:%M")} scored {len(done)}/{len(runs)} runs', flush=True)
        if len(done) == len(runs) or not a.wait: break
        time.sleep(60)
    head = (f'Scored {time.strftime("%Y-%m-%d")} on {platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, '
            f'torch {torch.__version__}; {len(done)} of {len(runs)} runs; this pass took {(time.time() - t0) / 60:.0f} min.\n\n')
    atomic_write_text(NBS / 'runs/compare/table.md', head + comparison_table(scores) + '\n')
    print(comparison_table(scores))


if __name__ == '__main__': main()
