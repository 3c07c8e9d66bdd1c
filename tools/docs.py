"""Process the notebooks for the docs and render them to HTML without Quarto.

nbdev_proc_nbs normally insists on downloading Quarto; Quarto cannot be installed here, so its
install step is switched off and the processed notebooks in _proc/ are rendered by nbconvert
into _docs/ (open _docs/index.html). The notebooks in EXECUTE (the ones whose output is a static player that
plays without a kernel) run first, skipping `#| slow` cells, so the rendered pages carry their players;
`--execute` runs every notebook.
Local files that the pages show (the GIFs under data/, reached from nbs/ through the nbs/data link) are
copied next to the HTML, and a page that shows a file that does not exist stops the build.
"""
import re, shutil, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXECUTE = ('index.ipynb', '15_viewer.ipynb')   # a few seconds each
PLAYERS = {'15_viewer.html': ('anim_step_forward', 'Plotly.newPlot')}   # what the static players leave in a page


def proc_nbs():
    import nbdev.quarto as q
    q._ensure_quarto = lambda: None          # the only step that needs Quarto (it downloads it)
    q.nbdev_proc_nbs.__wrapped__(n_workers=0)
    return ROOT / '_proc'


def is_slow(cell): return cell.cell_type == 'code' and any(l.strip() == '#| slow' for l in cell.source.splitlines())


def to_html(proc, out, execute=EXECUTE): # execute: names of the notebooks to run first, or True for all
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import ExecutePreprocessor

    class SkipSlow(ExecutePreprocessor):
        def preprocess_cell(self, cell, resources, index):
            return (cell, resources) if is_slow(cell) else super().preprocess_cell(cell, resources, index)

    out.mkdir(exist_ok=True)
    nbs, shown = sorted(proc.glob('*.ipynb')), []
    for p in nbs:
        nb = nbformat.read(p, as_version=4)
        if execute is True or p.name in execute:   # run the source notebook; its outputs go to the processed cells with the same id
            src = nbformat.read(ROOT / 'nbs' / p.name, as_version=4)
            SkipSlow(timeout=1200).preprocess(src, {'metadata': {'path': str(ROOT / 'nbs')}})
            outputs = {c.get('id'): c.outputs for c in src.cells if c.cell_type == 'code'}
            for c in nb.cells:
                if c.cell_type == 'code' and c.get('id') in outputs: c.outputs = outputs[c.id]
            if 'widgets' in src.metadata: nb.metadata['widgets'] = src.metadata['widgets']   # the widgets' state, or they show as text
        html, _ = HTMLExporter().from_notebook_node(nb)
        page = out / p.with_suffix('.html').name
        page.write_text(html, encoding='utf-8')
        check_page(page, html, ran=execute is True or p.name in execute)
        shown += [(page.name, rel) for rel in local_sources(html)]
    if not nbs: sys.exit(f'no processed notebooks in {proc}')
    print(f'rendered {len(nbs)} notebooks to {out}')
    copy_assets(proc, out, shown)


def check_page(page, html, ran): # ran: its notebook was executed for the docs
    "Stop on a widget printed as text (run without its saved state), or on an executed page without its static players."
    if re.search(r'<pre>\w+\(children=', html):
        sys.exit(f'{page} shows a widget as text: its notebook was run without saving the widget state')
    marks = PLAYERS.get(page.name, ())
    if ran and not all(m in html for m in marks):
        sys.exit(f'{page} has no static player (looked for {marks}): its notebook must show jshtml_player and plotly_player')


def local_sources(html):
    "The relative paths of the files a page shows (img and video sources), not URLs or inline data."
    return sorted({s for s in re.findall(r'<(?:img|source|video)[^>]*?\ssrc="([^"]+)"', html)
                   if not re.match(r'[a-z][a-z0-9+.-]*:|/|#', s)})


def copy_assets(proc, out, shown): # shown: (page name, relative path) of every local file a page shows
    "Copy the files the rendered pages show from the processed notebooks' folder into `out`; stop if one is missing."
    missing = []
    for page, rel in shown:
        src, dst = proc / rel, out / rel
        if not src.is_file(): missing.append(f'{page}: {rel}'); continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
    if missing: sys.exit('pages show files that do not exist (paths are relative to nbs/):\n  ' + '\n  '.join(missing))


if __name__ == '__main__':
    proc = proc_nbs()
    to_html(proc, ROOT / '_docs', execute=True if '--execute' in sys.argv else EXECUTE)
