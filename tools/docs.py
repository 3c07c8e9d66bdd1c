"""Run every notebook, then render the docs with the pictures the notebooks drew (no Quarto needed).

    # run all notebooks (2 at a time), render _docs/ (open _docs/index.html)
    python tools/docs.py
    # run and render only these (a quick look at one page)
    python tools/docs.py 06_generator
    python tools/docs.py --workers 1

1. `nbdev_proc_nbs`, minus its Quarto download, processes the notebooks into _proc/ (show_doc cells, front
   matter).
2. Every notebook in nbs/ runs top to bottom in a Jupyter kernel, the way `nbdev_test` runs it: cells flagged
   `#| slow` or `#| notest` are skipped. A cell that raises fails the build with its traceback, so this step
   is the test command's notebook test: the notebooks run once, and the same run draws the docs' figures.
3. The outputs, with the widgets' state, go into the processed notebooks, and nbconvert renders _docs/.
   Quarto's syntax that nbconvert does not know is rewritten first: the front matter becomes the page title,
   `[source](url){target=...}` a link, markdown links inside show_doc's parameter tables HTML links.
4. Every page must show a figure (an image, an SVG, a player or a video), no page may show a widget as text,
   and every local file a page shows must exist; otherwise the build fails and says which page.

Why the notebooks do not keep their outputs: outputs in git make every diff noisy and go stale as soon as
the code changes; run here, the pictures always show what the code does now, and the run costs nothing extra.

Offline: MathJax comes from the `jupyter_server_mathjax` package and is copied next to the pages. Live widgets
(the scrubber, the preference study) need the Jupyter widget manager, which the pages load from a CDN: without
a connection they stay blank, while the static players (`jshtml_player`, `plotly_player`) play offline.
"""
import argparse, os, re, shutil, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / 'nbs'
SKIP_FLAGS = {'slow', 'notest'}          # settings.ini's tst_flags: cells nbdev_test skips unless asked
FIGURE = re.compile(r'<img\s|<svg[\s>]|<video[\s>]|anim_step_forward|Plotly\.newPlot')
PLAYERS = {'viewer.html': ('anim_step_forward', 'Plotly.newPlot')}   # what the static players leave in a page
MATHJAX = 'mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe'   # the config the package ships
ANSI = re.compile(r'\x1b\[[0-9;]*m')   # colours in kernel tracebacks
SITE = None   # set by to_html from settings.ini


def directives(cell): # the `#| name ...` lines at the top of a code cell, as {name: rest}
    out = {}
    for line in cell.source.splitlines():
        m = re.match(r'\s*#\|\s*([\w-]+:?)\s*(.*)', line)
        if not m: break
        out[m[1].rstrip(':')] = m[2]
    return out


def skipped(cell):
    if cell.cell_type != 'code': return False
    d = directives(cell)
    return bool(SKIP_FLAGS & set(d)) or d.get('eval', '').lower() == 'false'


def run_notebook(name:str): # a notebook in nbs/
    """Run one notebook in a fresh kernel, skipping flagged cells: (name, executed notebook or None,
    error text, seconds)."""
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor, CellExecutionError

    class Skipping(ExecutePreprocessor):
        def preprocess_cell(self, cell, resources, index):
            return (cell, resources) if skipped(cell) else super().preprocess_cell(cell, resources, index)

    t0, nb = time.time(), nbformat.read(NBS / name, as_version=4)
    try:
        (Skipping(timeout=1800, kernel_name='python3', extra_arguments=['--IPKernelApp.log_level=ERROR'])
         .preprocess(nb, {'metadata': {'path': str(NBS)}}))
    except CellExecutionError as e: return name, None, str(e), time.time() - t0
    return name, nbformat.writes(nb), '', time.time() - t0


def run_all(names, workers:int=2):
    "Run the notebooks `workers` at a time; print each one's time; exit with the tracebacks when any failed."
    # one thread per notebook, or they fight over the cores
    if workers > 1: os.environ.setdefault('OMP_NUM_THREADS', '1')
    done, failed = {}, []
    with ProcessPoolExecutor(workers) as pool:
        for name, nb, err, secs in pool.map(run_notebook, names):
            print(f'{name}: {secs:.0f} s' + ('  FAILED' if err else ''), flush=True)
            if err: failed.append((name, err))
            else: done[name] = nb
    for name, err in failed:
        print('\n' + '=' * 80 + f'\n{name} failed:\n' + ANSI.sub('', err), file=sys.stderr)
    if failed: sys.exit('notebooks failed: ' + ', '.join(n for n, _ in failed))
    return done


def proc_nbs():
    import nbdev.quarto as q
    q._ensure_quarto = lambda: None          # the only step that needs Quarto (it downloads it)
    q.nbdev_proc_nbs.__wrapped__(n_workers=0)
    return ROOT / '_proc'


def front_matter(cell):
    "The YAML front matter of a processed notebook's raw first cell as a dict, or None if `cell` is not one."
    import yaml
    if cell is None or cell.cell_type != 'raw' or not cell.source.lstrip().startswith('---'): return None
    return yaml.safe_load(cell.source.strip().strip('-')) or {}


def title_cell(cell): # a processed notebook's raw front-matter cell
    "The front matter as a markdown title and summary (nbconvert would print the YAML as text)."
    fm = front_matter(cell)
    text = f"# {fm.get('title', '')}\n\n" + (f"> {fm['description']}\n" if fm.get('description') else '')
    return dict(cell_type='markdown', metadata={}, source=text, id=cell.get('id', 'title'))


def site_url():
    "The docs' URL in settings.ini (doc_host + doc_baseurl): links to it become links between local pages."
    import configparser
    c = configparser.ConfigParser()
    c.read(ROOT / 'settings.ini')
    return c['DEFAULT']['doc_host'].rstrip('/') + '/' + c['DEFAULT']['doc_baseurl'].strip('/') + '/'


def page_name(nb, path): # a processed notebook and its path
    "The page's file name: the front matter's output-file (io.html for 01_io.ipynb, as Quarto names it)."
    fm = front_matter(nb.cells[0] if nb.cells else None) or {}
    return fm.get('output-file') or path.with_suffix('.html').name


def md_links(s): return re.sub(r'\[([^\]]+)\]\(([^)\s]+)\)', r'<a href="\2">\1</a>', s)


def fix_markdown(s):
    """Quarto-only syntax as HTML: `[text](url){attrs}` becomes a link with those attributes; links
    inside HTML tables too."""
    s = s.replace(SITE, '')                  # links to the site's pages go to the local pages
    s = re.sub(r'\[([^\]]+)\]\(([^)\s]+)\)\{target="_blank" style="([^"]*)"\}',
               r'<a href="\2" target="_blank" style="\3">\1</a>', s)
    return re.sub(r'<table.*?</table>', lambda m: md_links(m[0]), s, flags=re.S)


def fix_outputs(cell):
    "Quarto syntax in markdown outputs as HTML; GIFs (which nbconvert's template drops) as <img> tags."
    for o in cell.get('outputs', []):
        d = o.get('data', {})
        if 'image/gif' in d and 'text/html' not in d:
            d['text/html'] = f'<img src="data:image/gif;base64,{"".join(d.pop("image/gif")).strip()}"/>'

        for k in ('text/markdown', 'text/html'):
            if k in o.get('data', {}): o['data'][k] = fix_markdown(''.join(o['data'][k]))


def prepare(nb, executed=None): # nb: a processed notebook; executed: the same notebook run, or None
    "Front matter to title, Quarto syntax to HTML; executed outputs (and widget state) copied in by cell id."
    import nbformat
    if executed is not None:
        ran = nbformat.reads(executed, as_version=4)
        outputs = {c.get('id'): c.outputs for c in ran.cells if c.cell_type == 'code'}
        for c in nb.cells:
            if c.cell_type == 'code' and c.get('id') in outputs: c.outputs = outputs[c.id]
        if 'widgets' in ran.metadata: nb.metadata['widgets'] = ran.metadata['widgets']
    cells = []
    for c in nb.cells:
        if front_matter(c) is not None: c = nbformat.from_dict(title_cell(c))
        elif c.cell_type == 'markdown': c.source = fix_markdown(c.source)
        else:
            fix_outputs(c)
            if directives(c).get('echo', '').lower() == 'false':
                c.metadata['transient'] = {'remove_source': True}   # show_doc
        cells.append(c)
    nb.cells = cells
    return nb


def check_page(page, html, ran): # ran: its notebook was executed for the docs
    "Stop on a figureless page, a widget as text, leftover Quarto syntax, or a viewer page without players."
    if re.search(r'<pre>\w+\(children=', html):
        sys.exit(f'{page} shows a widget as text: its notebook was run without saving the widget state')
    for bad in ('{target=&quot;_blank&quot;', '{target="_blank"', '<p>---\ntitle:', 'title: &quot;'):
        if bad in html: sys.exit(f'{page} shows Quarto syntax as text ({bad!r})')
    if ran and not FIGURE.search(html):
        sys.exit(f'{page} shows no figure: its notebook must draw at least one picture')
    marks = PLAYERS.get(page.name, ())
    if ran and not all(m in html for m in marks):
        sys.exit(f'{page} has no static player (looked for {marks}): its notebook must show jshtml_player '
                 'and plotly_player')


def local_sources(html):
    "The relative paths of the files a page shows (img and video sources), not URLs or inline data."
    return sorted({s for s in re.findall(r'<(?:img|source|video)[^>]*?\ssrc="([^"]+)"', html)
                   if not re.match(r'[a-z][a-z0-9+.-]*:|/|#', s)})


def copy_assets(proc, out, shown): # shown: (page name, relative path) of every local file a page shows
    "Copy the files the pages show from the processed notebooks' folder into `out`; stop if one is missing."
    missing = []
    for page, rel in shown:
        src, dst = proc / rel, out / rel
        if not src.is_file():
            missing.append(f'{page}: {rel}')
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
    if missing:
        sys.exit('pages show files that do not exist (paths are relative to nbs/):\n  '
                 + '\n  '.join(missing))


def copy_mathjax(out):
    "MathJax 2 from the jupyter_server_mathjax package, next to the pages, so formulas render offline."
    try: import jupyter_server_mathjax
    except ImportError:
        sys.exit('the docs need jupyter_server_mathjax (in the dev requirements): run python3 dev.py setup')
    src = Path(jupyter_server_mathjax.__file__).parent / 'static'
    shutil.copytree(src, out / 'mathjax', dirs_exist_ok=True)


def to_html(proc, out, executed:dict): # executed: notebook name -> executed notebook (JSON text)
    import nbformat
    from nbconvert import HTMLExporter
    global SITE
    SITE = site_url()
    out.mkdir(exist_ok=True)
    nbs, shown = sorted(p for p in proc.glob('*.ipynb') if not executed or p.name in executed), []
    exporter = HTMLExporter(mathjax_url=MATHJAX, exclude_input_prompt=True, exclude_output_prompt=True)
    for p in nbs:
        nb = nbformat.read(p, as_version=4)
        page = out / page_name(nb, p)
        html, _ = exporter.from_notebook_node(prepare(nb, executed.get(p.name)))
        page.write_text(html, encoding='utf-8')
        check_page(page, html, ran=p.name in executed)
        shown += [(page.name, rel) for rel in local_sources(html)]
    if not nbs: sys.exit(f'no processed notebooks in {proc}')
    copy_mathjax(out)
    copy_assets(proc, out, shown)
    print(f'rendered {len(nbs)} pages to {out}')


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('names', nargs='*', help='notebooks to run and render (default: all), e.g. 06_generator')
    ap.add_argument('--workers', type=int, default=2, help='notebooks run at once (default 2)')
    a = ap.parse_args()
    names = ([n if n.endswith('.ipynb') else n + '.ipynb' for n in a.names]
             or sorted(p.name for p in NBS.glob('*.ipynb')))
    bad = [n for n in names if not (NBS / n).is_file()]
    if bad: sys.exit(f'no such notebooks in {NBS}: {bad}')
    t0 = time.time()
    executed = run_all(names, a.workers)
    print(f'ran {len(executed)} notebooks in {time.time() - t0:.0f} s', flush=True)
    if not a.names: shutil.rmtree(ROOT / "_docs", ignore_errors=True)   # a full build starts clean
    to_html(proc_nbs(), ROOT / "_docs", executed)
