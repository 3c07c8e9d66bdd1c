"""README.md is made from nbs/index.ipynb (Quarto, which nbdev_readme needs, cannot be installed here).

    python tools/readme.py           # write README.md
    python tools/readme.py --check   # fail if README.md is not what index.ipynb gives
"""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = '<!-- made from nbs/index.ipynb by tools/readme.py: edit the notebook, not this file -->\n\n'


def cell_source(c): return ''.join(c['source']).strip('\n')


def render(nb_path=ROOT / 'nbs' / 'index.ipynb'):
    "Markdown for a notebook: markdown cells as they are, code cells fenced, hidden cells left out."
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    parts = []
    for c in nb['cells']:
        src = cell_source(c)
        if c['cell_type'] == 'markdown': parts.append(src)
        elif c['cell_type'] == 'code':
            lines = src.split('\n')
            if any(l.strip() in ('#| hide', '#|hide', '#| include: false') for l in lines): continue
            code = '\n'.join(l for l in lines if not l.startswith('#|')).strip('\n')
            if code: parts.append(f'```python\n{code}\n```')
    return HEADER + '\n\n'.join(p for p in parts if p) + '\n'


if __name__ == '__main__':
    text, readme = render(), ROOT / 'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text(encoding='utf-8') != text:
            sys.exit('README.md is out of date with nbs/index.ipynb: run `python tools/readme.py` and '
                     'commit it')
        print('README.md is in sync with nbs/index.ipynb')
    else:
        readme.write_text(text, encoding='utf-8')
        print('wrote', readme)
