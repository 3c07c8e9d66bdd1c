"""Process the notebooks for the docs and render them to HTML without Quarto.

nbdev_proc_nbs normally insists on downloading Quarto; Quarto cannot be installed here, so its
install step is switched off and the processed notebooks in _proc/ are rendered by nbconvert
into _docs/ (open _docs/index.html). `--execute` runs the notebooks first, for pictures.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def proc_nbs():
    import nbdev.quarto as q
    q._ensure_quarto = lambda: None          # the only step that needs Quarto (it downloads it)
    q.nbdev_proc_nbs.__wrapped__(n_workers=0)
    return ROOT / '_proc'


def to_html(proc, out, execute=False):
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import ExecutePreprocessor
    out.mkdir(exist_ok=True)
    nbs = sorted(proc.glob('*.ipynb'))
    for p in nbs:
        nb = nbformat.read(p, as_version=4)
        if execute: ExecutePreprocessor(timeout=1200).preprocess(nb, {'metadata': {'path': str(ROOT / 'nbs')}})
        html, _ = HTMLExporter().from_notebook_node(nb)
        (out / p.with_suffix('.html').name).write_text(html, encoding='utf-8')
    if not nbs: sys.exit(f'no processed notebooks in {proc}')
    print(f'rendered {len(nbs)} notebooks to {out}')


if __name__ == '__main__':
    proc = proc_nbs()
    to_html(proc, ROOT / '_docs', execute='--execute' in sys.argv)
