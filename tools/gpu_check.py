"""One-command GPU check for the speed tables: `python tools/gpu_check.py [--out gpu_check.json]`.

On a CUDA machine it runs the generator benchmark (reference and paper widths, eager and compiled), the
training benchmark of the tiny and small presets (eager and compiled generators), and two training steps of
the paper preset, then prints the numbers as markdown tables, with the GPU's name, torch version and date,
for 06_generator and 15_training.
"""
import argparse, json, sys, tempfile, time
from pathlib import Path
import torch

def main(argv=None):
    p = argparse.ArgumentParser('gpu_check', description=__doc__.splitlines()[0])
    p.add_argument('--out', default=None,
                   help='also write every row to this JSON file (refused if it exists)')
    p.add_argument('--paper_vgg', action='store_true',
                   help="the paper preset with its VGG19 loss (needs the VGG19 weights file); "
                        "default: w_vgg=0, which the printout says")
    a = p.parse_args(argv)
    if not torch.cuda.is_available():
        raise SystemExit("gpu_check: no CUDA device here; this script fills in the GPU rows of the "
                         "speed tables, run it on a machine with an NVIDIA GPU")
    if a.out and Path(a.out).exists(): raise SystemExit(f"gpu_check: {a.out} exists; choose another --out")
    from v2v.bench import bench_table, markdown_table
    from v2v.config import TrainConfig
    from v2v.bench import benchmark_training
    from v2v.bench import presets_table
    dev = torch.device('cuda')
    print(f"# {torch.cuda.get_device_name(dev)}, torch {torch.__version__}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}\n")
    gen = [r for c in (False, True)
           for r in bench_table(['reference', 'paper'], ((128, 128), (256, 512)), reps=5, compile=c,
                                device=dev)]
    print(markdown_table(gen) + '\n')
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for name in ('tiny', 'small'):
            for comp in (False, True):
                rows.append(dict(preset=name, **benchmark_training(
                    TrainConfig.preset(name, out=d, compile=comp), steps=3)))
        vgg = {} if a.paper_vgg else dict(loss_weight=dict(vgg=0.))
        rows.append(dict(preset='paper' + ('' if a.paper_vgg else ' (w_vgg=0)'),
                         **benchmark_training(TrainConfig.paper(out=d, **vgg), steps=2)))
    print(presets_table(rows))
    if a.out: Path(a.out).write_text(json.dumps(dict(generator=gen, training=rows), indent=1, default=str))

if __name__ == '__main__': main()
