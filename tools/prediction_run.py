"""Run (or resume) nbs/21_prediction.ipynb's experiment, then export what the notebook shows.

    # CPU budgets in minutes: the label predictor (10) and PredNet (90)
    OMP_NUM_THREADS=1 python tools/prediction_run.py [--labels 10] [--prednet 90]

Training is resumable (runs/prediction/, saved every 5 CPU minutes); a finished run is only scored again.
It writes data/prediction/ (results.json, horizons.png, the command) and the two trained predictors,
float16, as data/pretrained/label-predictor-64.pt and prednet-64.pt.
"""
import argparse, json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT, PRE = ROOT / 'data' / 'prediction', ROOT / 'data' / 'pretrained'


def main(labels:float, prednet:float, run:Path):
    import torch   # threads: OMP_NUM_THREADS (the budgets are CPU time, summed over threads)
    from v2v.config import pretrained_path
    from v2v.prediction import (prediction_experiment, plot_horizons, LabelPredictor, PredNet,
                                save_predictor)
    res, *_ = prediction_experiment(run, pretrained_path('tiny-label-vid2vid'), labels, prednet)
    OUT.mkdir(parents=True, exist_ok=True)
    res['command'] = 'OMP_NUM_THREADS=1 python tools/prediction_run.py ' + ' '.join(sys.argv[1:])
    (OUT / 'results.json').write_text(json.dumps(res, indent=1))
    plot_horizons(res).savefig(OUT / 'horizons.png', dpi=90)
    kinds = ((LabelPredictor, 'label-predictor-64', 'labels'), (PredNet, 'prednet-64', 'prednet'))
    for cls, name, key in kinds:
        st = torch.load(run / (name.rsplit('-', 1)[0] + '.pt'), weights_only=True)
        m = cls(**({'n_obs': res['n_obs']} if cls is LabelPredictor else {}))
        m.load_state_dict(st['model'])
        save_predictor(m, PRE / f'{name}.pt', meta=dict(command=res['command'], date=res['date'],
                                                       machine=res['machine'], minutes=res['budgets'][key],
                                                       steps=res['steps'][key], setup=st['setup']))
    print(f"wrote {OUT}/results.json, horizons.png and {PRE}/label-predictor-64.pt, prednet-64.pt")


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--labels', type=float, default=10., help='CPU minutes for the label predictor')
    p.add_argument('--prednet', type=float, default=90., help='CPU minutes for PredNet')
    p.add_argument('--run', type=Path, default=ROOT / 'runs' / 'prediction', help='the resumable run folder')
    a = p.parse_args()
    main(a.labels, a.prednet, a.run)
