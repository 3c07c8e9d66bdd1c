"""Score nbs/17_experiments.ipynb's repeated-comparison runs as they finish training, then write the table.

    # --wait: poll until every run has finished, scoring each as it does
    python tools/score_compare.py [MINUTES=10] [--wait]

A run has finished when its schedule has ended or MINUTES of CPU time are spent (as tools/compare_runs.py
trains it). Scores go beside each checkpoint (scores-sets.json, kept until the checkpoint changes). The table
(with the date, the machine and the scoring time) and every run's scores go to data/compare/ (table.md,
scores.json), which is committed.
"""
import argparse, json, os, platform, time
from pathlib import Path

NBS = Path(__file__).resolve().parents[1] / 'nbs'
OUT = NBS.parent / 'data' / 'compare'


def finished(run, minutes, total):
    m, h = run / 'minutes.json', run / 'history.json'
    if not (m.is_file() and h.is_file() and (run / 'checkpoint.pt').is_file()): return False
    return json.loads(m.read_text()) >= minutes or json.loads(h.read_text())[-1]['step'] >= total


def frames_picture(runs, data, path, clip=0, ts=(0, 1, 2, 6, 12, 24, 36, 47)):
    "Held-out clip `clip` at frames ts: labels, truth, then each variant's seed-0 model from labels alone."
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from v2v.data import input_to_rgb
    from v2v.generator import generate
    from v2v.checkpoint import load_generator
    lab = data['label'][clip:clip + 1]
    rows = {'labels': input_to_rgb(lab[0], 'label'), 'truth': data['image'][clip]}
    for name, seed, run in runs:
        if seed == 0: rows[name] = generate(load_generator(Path(run) / 'checkpoint.pt')[0], lab)[0]
    fig, axs = plt.subplots(len(rows), len(ts), figsize=(len(ts) * 1.25, len(rows) * 1.3))
    for i, (k, v) in enumerate(rows.items()):
        for j, t in enumerate(ts):
            axs[i, j].imshow(((v[t].permute(1, 2, 0) + 1) / 2).clamp(0, 1))
            axs[i, j].set_xticks([])
            axs[i, j].set_yticks([])
            if i == 0: axs[i, j].set_title(f'frame {t}', fontsize=8)
        axs[i, 0].set_ylabel(k.replace('official: ', 'off.: '), fontsize=6, rotation=0, ha='right',
                             va='center')
    from v2v.io import atomic_file
    fig.tight_layout()
    with atomic_file(path) as tmp: fig.savefig(tmp, dpi=80, format='png')
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser('score_compare', description=__doc__.splitlines()[0])
    p.add_argument('minutes', nargs='?', type=float, default=10.)
    p.add_argument('--wait', action='store_true')
    p.add_argument('--variants', help='comma-separated names to score; the other rows keep their scores from '
                                      'data/compare/scores.json')
    a = p.parse_args(argv)
    os.chdir(NBS)
    import torch
    from v2v.experiments import comparison_runs, comparison_clips, score_runs, comparison_table
    from v2v.config import TrainConfig
    from v2v.io import atomic_write_text
    from v2v.experiments import COMPARE_VARIANTS
    names = a.variants.split(',') if a.variants else None
    runs, data, total, t0 = (comparison_runs(variants=names), comparison_clips(),
                             TrainConfig.tiny().total_steps(), time.time())
    while True:
        done = [r for r in runs if finished(r[2], a.minutes, total)]
        scores = score_runs(done, data, sets=True, progress=False)
        print(f'{time.strftime("%H:%M")} scored {len(done)}/{len(runs)} runs', flush=True)
        if len(done) == len(runs) or not a.wait: break
        time.sleep(60)
    head = (f'Scored {time.strftime("%Y-%m-%d")} on {platform.processor() or platform.machine()}, '
            f'{torch.get_num_threads()} threads, torch {torch.__version__}; {len(done)} of {len(runs)} runs; '
            f'this pass took {(time.time() - t0) / 60:.0f} min.\n\n')
    OUT.mkdir(parents=True, exist_ok=True)
    if names:  # the rows not scored now keep their committed scores; the picture shows the new rows only
        old = json.loads((OUT / 'scores.json').read_text()) if (OUT / 'scores.json').is_file() else {}
        scores = {k: scores[k] if k in scores else old[k] for k in COMPARE_VARIANTS
                  if k in scores or k in old}
        head = head.replace('runs;', f'runs of {", ".join(names)} (the other rows as scored before);')
    atomic_write_text(OUT / 'table.md', head + comparison_table(scores) + '\n')
    atomic_write_text(OUT / 'scores.json', json.dumps(scores, indent=1))
    tag = '-'.join(f'v{list(COMPARE_VARIANTS).index(n)}' for n in names) if names else ''
    frames_picture(done, data, OUT / (f'frames-clip0-{tag}.png' if tag else 'frames-clip0.png'))
    print(comparison_table(scores))


if __name__ == '__main__': main()
