"""Train one model of nbs/15_experiments.ipynb's drift experiment in its own process, with the notebook's own
variants and v2v.experiments.train_for.

    # INDEX into DRIFT_VARIANTS; MINUTES of CPU time (15)
    OMP_NUM_THREADS=1 python tools/train_variant.py INDEX [MINUTES]

The notebook's `train_for` is resumable and counts CPU time, so the three models can train side by side,
one thread each, and the notebook's slow cell then finds them trained and only evaluates them. The runs go
to nbs/runs/drift-experiment/v<INDEX>.
"""
import json, os, sys
from pathlib import Path

NBS = Path(__file__).resolve().parents[1] / 'nbs'
CELL = 'd1f10002'   # DRIFT_VARIANTS


def main(index:int, minutes:float=15.):
    # the notebook's working directory: its paths are relative to it
    os.chdir(NBS)
    cells = {c.get('id'): ''.join(c['source'])
             for c in json.loads((NBS / '15_experiments.ipynb').read_text())['cells']}
    from v2v.experiments import train_for
    ns = {}
    exec(cells[CELL], ns)
    name, overrides = list(ns['DRIFT_VARIANTS'].items())[index]
    tr, spent = train_for(overrides, f'runs/drift-experiment/v{index}', minutes)
    print(f'{name}: step {tr.step}, {spent:.1f} CPU minutes')


if __name__ == '__main__':
    if len(sys.argv) not in (2, 3): sys.exit(__doc__)
    main(int(sys.argv[1]), *map(float, sys.argv[2:]))
