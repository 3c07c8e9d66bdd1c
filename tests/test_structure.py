"""The package's shape (issue 15): one concern per module, one definition per public name, no private imports
across modules, and imports that only go down the reading order (notebook number = module order)."""
import ast, json, re
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 450          # 'no module over about 450 lines'; _modidx.py is nbdev's index, not code


def modules():
    "module name -> notebook number, from each numbered notebook's default_exp."
    out = {}
    for p in sorted((ROOT / 'nbs').glob('[0-9][0-9]_*.ipynb')):
        src = ' '.join(''.join(c['source']) for c in json.loads(p.read_text())['cells'][:4])
        m = re.search(r'default_exp (\w+)', src)
        assert m, f'{p.name} has no default_exp'
        out[m[1]] = int(p.name[:2])
    return out


def tree(name): return ast.parse((ROOT / 'v2v' / f'{name}.py').read_text())


def imported(node): # the v2v modules an import statement names
    if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module: return [node.module]
    if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith('v2v.'):
        return [node.module[4:]]
    if isinstance(node, ast.ImportFrom) and node.module == 'v2v': return [a.name for a in node.names]
    if isinstance(node, ast.Import): return [a.name[4:] for a in node.names if a.name.startswith('v2v.')]
    return []


def test_every_module_has_its_notebook():
    on_disk = {p.stem for p in (ROOT / 'v2v').glob('*.py') if not p.stem.startswith('_')}
    assert on_disk == set(modules())


def code_lines(text): # a module's lines, less nbdev's cell markers (`# %% ...`) and the blank before each
    lines = text.splitlines()
    marker = lambda i: i < len(lines) and lines[i].startswith('# %%')
    return [l for i, l in enumerate(lines) if not marker(i) and not (not l.strip() and marker(i + 1))]


@pytest.mark.parametrize('name', sorted(modules()))
def test_module_size(name):
    "The cap is on code: one definition per cell adds a marker line per cell, which does not count."
    n = len(code_lines((ROOT / 'v2v' / f'{name}.py').read_text()))
    assert n <= MAX_LINES, f'v2v/{name}.py has {n} lines: split it (at most about {MAX_LINES})'


def test_imports_go_down_the_reading_order():
    order, bad = modules(), []
    for name, n in order.items():
        for node in ast.walk(tree(name)):
            bad += [f'{name} ({n:02d}) imports {t} ({order[t]:02d})' for t in imported(node)
                    if t in order and order[t] >= n]
    assert not bad, bad


def test_no_private_imports_across_modules():
    bad = []
    for name in modules():
        for node in ast.walk(tree(name)):
            if isinstance(node, ast.ImportFrom) and imported(node):
                bad += [f'{name} imports {node.module}.{a.name}' for a in node.names
                        if a.name.startswith('_')]
    assert not bad, bad


def is_patched(n): # a function or class definition
    "Whether fastcore's `@patch` (or `@patch(...)`) decorates it: a method of the annotated class."
    return any((isinstance(d, ast.Name) and d.id == 'patch') or
               (isinstance(d, ast.Call) and getattr(d.func, 'id', '') == 'patch') for d in n.decorator_list)


def public_defs(name): # top-level functions, classes and assignments; @patch'ed methods belong to their class
    out = []
    for n in tree(name).body:
        if isinstance(n, (ast.FunctionDef, ast.ClassDef)):
            if not is_patched(n): out.append(n.name)
        elif isinstance(n, ast.Assign):
            for t in n.targets:
                out += [e.id for e in (t.elts if isinstance(t, ast.Tuple) else [t])
                        if isinstance(e, ast.Name)]
    return [x for x in out if not x.startswith('_')]


def test_no_public_name_defined_twice():
    seen, twice = {}, []
    for name in modules():
        for x in public_defs(name):
            if x in seen: twice.append(f'{x}: {seen[x]} and {name}')
            seen.setdefault(x, name)
    assert not twice, twice


MAX_WIDTH = 110          # 'wrap code at about 110 characters, one statement per line'


def code_sources():
    "(where, source) of every notebook code cell and every Python file under tests/ and tools/, and dev.py."
    for p in sorted((ROOT / 'nbs').glob('*.ipynb')):
        for i, c in enumerate(json.loads(p.read_text())['cells']):
            if c['cell_type'] == 'code': yield f'{p.name} cell {i}', ''.join(c['source'])
    for p in sorted([*(ROOT / 'tests').glob('*.py'), *(ROOT / 'tools').glob('*.py'), ROOT / 'dev.py']):
        yield str(p.relative_to(ROOT)), p.read_text()


def test_code_lines_are_wrapped():
    bad = [f'{w} line {i}: {len(s)} characters' for w, src in code_sources()
           for i, s in enumerate(src.split('\n'), 1) if len(s) > MAX_WIDTH]
    assert not bad, bad


def statements_sharing_a_line(src):
    "Line numbers where two statements start (`a = 1; b = 2`); a lone trailing `;` is one statement."
    src = '\n'.join('pass' if re.match(r'\s*[%!]', s) else s for s in src.split('\n'))   # cell magics
    out = []
    for node in ast.walk(ast.parse(src)):
        for field in ('body', 'orelse', 'finalbody'):
            body = getattr(node, field, None)
            lines = [s.lineno for s in body if isinstance(s, ast.stmt)] if isinstance(body, list) else []
            out += [n for i, n in enumerate(lines) if n in lines[:i]]   # siblings on one line
    return sorted(out)


def test_one_statement_per_line():
    assert statements_sharing_a_line('a = 1; b = 2\nplt.axis("off");\nif a: b = 3') == [1]
    bad = [f'{w} line {n}' for w, src in code_sources() for n in statements_sharing_a_line(src)]
    assert not bad, bad


# Tools are programs, not notebook runners (issue 27): what they run comes from the installed package
# (`python -m v2v.<module>`, an import), never from a notebook cell or a code string.
RENDERS_NOTEBOOKS = {'tools/docs.py': 'runs every notebook in a kernel for the docs, as nbdev_test does',
                     'tools/readme.py': 'renders index.ipynb as markdown text, never runs it'}
RUNNERS = ('runpy', 'execnb', 'nbclient', 'nbconvert', 'nbformat')   # modules that execute or read notebooks


def runs_code(src:str, renders_notebooks:bool=False):
    """What in `src` executes code strings or reads notebook cells: a list of (line, what). Notebook files
    may be named (dev.py hashes them); their cells may only be read by the tools that render notebooks."""
    tree, out = ast.parse(src), []
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for n in ast.walk(tree):
        f = n.func if isinstance(n, ast.Call) else None
        if isinstance(f, ast.Name) and f.id in ('exec', 'eval', 'compile'): out.append((n.lineno, f'{f.id}('))
        if isinstance(f, ast.Attribute) and f.attr in ('exec', 'eval', 'run_path', 'run_module'):
            out.append((n.lineno, f'{f.attr}('))
        if isinstance(n, (ast.Import, ast.ImportFrom)) and not renders_notebooks:
            mods = [a.name for a in n.names] if isinstance(n, ast.Import) else [n.module or '']
            out += [(n.lineno, f'import {m}') for m in mods if m.split('.')[0] in RUNNERS]
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs:
            if n.value == '-c' or re.search(r'python\S*\s+-c\b', n.value): out.append((n.lineno, "'-c'"))
        cells = ((isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant) and n.slice.value)
                 or (isinstance(n, ast.Attribute) and n.attr))
        if cells in ('cells', 'source') and not renders_notebooks: out.append((n.lineno, f'reads {cells}'))
    return sorted(out)


def test_runs_code_finds_each_way():
    from fastcore.test import test_eq
    bad = ('import json, runpy\n'
           'cells = json.loads(open("nbs/17_experiments.ipynb").read())["cells"]\n'
           'exec(cells[3]["source"])\n'
           'subprocess.run([sys.executable, "-c", "print(1)"])\n'
           'os.system("python3 -c \'import v2v\'")\n'
           'x = eval("1 + 1")\n')
    test_eq(runs_code(bad), [(1, 'import runpy'), (2, 'reads cells'), (3, 'exec('), (3, 'reads source'),
                             (4, "'-c'"), (5, "'-c'"), (6, 'eval(')])
    good = ('"""Made from nbs/17_experiments.ipynb: run with python -c? no."""\n'
            'subprocess.run([sys.executable, "-m", "v2v.experiments", "train", "vid2vid", "out"])\n')
    test_eq(runs_code(good), [])
    test_eq(runs_code('import re\nr = re.compile("x")\nfiles = glob("nbs/*.ipynb")'), [])
    renderer = 'from nbclient import NotebookClient\nsrc = nb.cells[0].source'
    test_eq(runs_code(renderer, renders_notebooks=True), [])


def test_no_tool_executes_notebook_cells_or_code_strings():
    from fastcore.test import test_eq
    files = sorted([*(ROOT / 'tools').glob('*.py'), ROOT / 'dev.py'])
    assert len(files) > 2 and all(f in files for f in (ROOT / k for k in RENDERS_NOTEBOOKS))
    bad = {str(f.relative_to(ROOT)): runs_code(f.read_text(), str(f.relative_to(ROOT)) in RENDERS_NOTEBOOKS)
           for f in files}
    test_eq({k: v for k, v in bad.items() if v}, {})


def patched_methods(name): # (method, class) of every @patch'ed function of a module
    fns = [n for n in tree(name).body if isinstance(n, ast.FunctionDef) and is_patched(n)]
    return [(n.name, getattr(n.args.args[0].annotation if n.args.args else None, 'id', '?')) for n in fns]


def test_patched_methods_have_one_meaning():
    "A @patch'ed method's name is neither a public module-level name nor another class's @patch'ed method."
    funcs = {x: m for m in modules() for x in public_defs(m)}
    seen, bad = {}, []
    for m in modules():
        for meth, cls in patched_methods(m):
            if meth.startswith('_'): continue
            if meth in funcs: bad.append(f'{cls}.{meth} ({m}) is also a module-level name in {funcs[meth]}')
            if meth in seen and seen[meth] != cls: bad.append(f'{cls}.{meth} ({m}) and {seen[meth]}.{meth}')
            seen.setdefault(meth, cls)
    assert not bad, bad


MAX_MARKDOWN = 1500      # 'no markdown cell over about 1,500 characters in a teaching notebook'


def notebook_cells():
    "(notebook name, cell) of every numbered (teaching) notebook."
    for p in sorted((ROOT / 'nbs').glob('[0-9][0-9]_*.ipynb')):
        for c in json.loads(p.read_text())['cells']: yield p.name, c


def test_teaching_prose_is_short():
    "Long discussion and measured history go to data/<experiment>/README.md, not into a teaching cell."
    bad = [f"{nb} cell {c.get('id')}: {len(''.join(c['source']))} characters" for nb, c in notebook_cells()
           if c['cell_type'] == 'markdown' and len(''.join(c['source'])) > MAX_MARKDOWN]
    assert not bad, bad


def test_export_cells_are_small():
    "One definition per cell: the median export cell is at most 10 lines (fastcore's is about 5)."
    import statistics
    srcs = [''.join(c['source']) for _, c in notebook_cells() if c['cell_type'] == 'code']
    sizes = [len([l for l in s.split('\n') if l.strip() and not l.startswith('#|')])
             for s in srcs if s.startswith('#| export')]
    assert statistics.median(sizes) <= 10, statistics.median(sizes)


def scaffolding(src): # a code cell's source
    "Whether a cell only imports or makes or removes a temporary folder: plumbing that the docs hide."
    try: body = ast.parse(src).body
    except SyntaxError: return False
    temp = ('mkdtemp', 'TemporaryDirectory()', 'rmtree(', '.cleanup()')
    return bool(body) and all(isinstance(s, (ast.Import, ast.ImportFrom)) or (
        isinstance(s, (ast.Assign, ast.Expr)) and any(t in ast.get_source_segment(src, s) for t in temp)
        and s.lineno == s.end_lineno) for s in body)


def test_docs_show_no_scaffolding():
    assert scaffolding('import os\ntmp = Path(tempfile.mkdtemp())') and not scaffolding('import os\nx = f(1)')
    bad = [f"{nb} cell {c.get('id')}" for nb, c in notebook_cells() if c['cell_type'] == 'code'
           and not ''.join(c['source']).lstrip().startswith('#|') and scaffolding(''.join(c['source']))]
    assert not bad, f'hide these cells with #| hide: {bad}'
