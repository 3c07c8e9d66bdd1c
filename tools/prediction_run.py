"""Run (or resume) the experiment of nbs/23_prediction_study.ipynb for several seeds, then export it.

    # CPU budgets in minutes: the label predictor (10) and PredNet (90), per seed
    OMP_NUM_THREADS=1 python tools/prediction_run.py [--labels 10] [--prednet 90] [--seeds 0 1 2]
    # seeds in parallel: one process per seed with --no-export, then one without it to collect them;
    # --learned_only scores only the methods a seed changes, the export takes the others from the first seed
    OMP_NUM_THREADS=1 python tools/prediction_run.py --seeds 1 --no-export --learned_only &

Each seed trains in runs/prediction/seed<S>/ (resumable, saved every 5 CPU minutes) and is scored there
(results.json); a seed whose results.json already has the asked budgets is not scored again.
The export writes data/prediction/ (results.json: the mean and spread over the seeds, seeds/seed<S>.json,
horizons.png) and the first seed's predictors, float16, as data/pretrained/label-predictor-64.pt and
prednet-64.pt.
"""
import argparse, json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT, PRE = ROOT / 'data' / 'prediction', ROOT / 'data' / 'pretrained'
LEARNED = ('PredNet', 'vid2vid, learned labels')   # the only methods whose frames depend on the seed


def run_seed(seed:int, labels:float, prednet:float, run:Path, learned_only:bool=False):
    "Train and score one seed (all methods, or only LEARNED), or read its finished scores."
    from v2v.checkpoint import pretrained_path
    from v2v.prediction_study import prediction_experiment
    f = run / f'seed{seed}' / 'results.json'
    if f.exists():
        res = json.loads(f.read_text())
        spent = res['budgets']
        if spent['labels'] >= labels * 0.99 and spent['prednet'] >= prednet * 0.99: return res
    return prediction_experiment(run / f'seed{seed}', pretrained_path('tiny-label-vid2vid'), labels, prednet,
                                 seed=seed, methods=LEARNED if learned_only else None)[0]


def complete(results:list):
    "Each seed's scores; the methods it did not score come from a seed that scored all (they are seed-free)."
    full = [r for r in results if set(r['frames']) > set(LEARNED)]
    if not full: raise ValueError("no seed scored every method: run one without --learned_only")
    out = []
    for r in results:
        missing = [k for k in full[0]['frames'] if k not in r['frames']]
        if set(missing) & set(LEARNED): raise ValueError(f"seed {r['seed']} has no scores for {missing}")
        r = {**r, 'frames': {k: r['frames'].get(k, full[0]['frames'][k]) for k in full[0]['frames']}}
        if missing: r['scores_from_seed'] = {k: full[0]['seed'] for k in missing}
        out.append(r)
    return out


def export(results:list, run:Path, command:str):
    "Write the seeds' summary, each seed's scores, the plot and the first seed's predictors."
    import torch
    from v2v.io import atomic_write_text
    from v2v.prediction import LabelPredictor, PredNet, save_predictor
    from v2v.prediction_study import summarize_seeds, plot_horizons
    (OUT / 'seeds').mkdir(parents=True, exist_ok=True)
    for r in results: atomic_write_text(OUT / 'seeds' / f"seed{r['seed']}.json", json.dumps(r, indent=1))
    res = summarize_seeds(results)
    res['command'] = command
    atomic_write_text(OUT / 'results.json', json.dumps(res, indent=1))
    plot_horizons(res).savefig(OUT / 'horizons.png', dpi=90)
    first = results[0]
    kinds = ((LabelPredictor, 'label-predictor-64', 'labels'), (PredNet, 'prednet-64', 'prednet'))
    for cls, name, key in kinds:
        st = torch.load(run / f"seed{first['seed']}" / (name.rsplit('-', 1)[0] + '.pt'), weights_only=True)
        m = cls(**({'n_obs': first['n_obs']} if cls is LabelPredictor else {}))
        m.load_state_dict(st['model'])
        save_predictor(m, PRE / f'{name}.pt', meta=dict(
            command=command, seed=first['seed'], date=first['date'], machine=first['machine'],
            minutes=first['budgets'][key], steps=first['steps'][key], setup=st['setup']))
    print(f"wrote {OUT}/results.json, seeds/, horizons.png and {PRE}/label-predictor-64.pt, prednet-64.pt")


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--labels', type=float, default=10., help='CPU minutes for the label predictor')
    p.add_argument('--prednet', type=float, default=90., help='CPU minutes for PredNet')
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2], help='seeds, each trained and scored')
    p.add_argument('--no-export', action='store_true', help='only train and score the seeds')
    p.add_argument('--learned_only', action='store_true', help='score only ' + ', '.join(LEARNED))
    p.add_argument('--run', type=Path, default=ROOT / 'runs' / 'prediction', help='the resumable run folders')
    a = p.parse_args()
    results = [run_seed(s, a.labels, a.prednet, a.run, a.learned_only) for s in a.seeds]
    if not a.no_export:
        command = 'OMP_NUM_THREADS=1 python tools/prediction_run.py ' + ' '.join(sys.argv[1:])
        export(complete(results), a.run, command)
