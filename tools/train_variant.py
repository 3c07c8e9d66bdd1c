"""Train one model of nbs/17_experiments.ipynb's drift experiment in its own process: a thin wrapper of
`python -m v2v.experiments drift`, run from nbs/ (the notebook's working directory).

    # INDEX into v2v.experiments.DRIFT_VARIANTS; MINUTES of CPU time (15)
    OMP_NUM_THREADS=1 python tools/train_variant.py INDEX [MINUTES]

`train_for` is resumable and counts CPU time, so the three models can train side by side, one thread each,
and the notebook's slow cell then finds them trained and only evaluates them. The runs go to
nbs/runs/drift-experiment/v<INDEX>.
"""
import os, sys
from pathlib import Path

NBS = Path(__file__).resolve().parents[1] / 'nbs'


def main(index:int, minutes:float=15.):
    os.chdir(NBS)   # the notebook's paths are relative to nbs/
    from v2v.experiments import v2v_experiments
    v2v_experiments(['drift', str(index), str(minutes)])


if __name__ == '__main__':
    if len(sys.argv) not in (2, 3): sys.exit(__doc__)
    main(int(sys.argv[1]), *map(float, sys.argv[2:]))
