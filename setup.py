"Package metadata comes from settings.ini (the nbdev 2 layout)."
import re
from configparser import ConfigParser
from pathlib import Path
import setuptools

here = Path(__file__).parent
cfg = ConfigParser(delimiters=['='])
cfg.read(here/'settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License')}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature',
            '7 - Inactive']
lic = licenses[cfg['license']]
min_python = cfg['min_python']
py_versions = ['3.9', '3.10', '3.11', '3.12']

def absolute_images(md:str):
    "The README with its relative image paths made absolute, so the package index shows them."
    raw = (cfg['git_url'].replace('https://github.com/', 'https://raw.githubusercontent.com/') + '/'
           + cfg['branch'] + '/')
    return re.sub(r'(!\[[^\]]*\]\()(?!https?://)([^)]+\))', lambda m: m[1] + raw + m[2], md)

setuptools.setup(
    name=cfg.get('dist_name', cfg['lib_name']),
    version=cfg['version'],
    description=cfg['description'],
    long_description=absolute_images((here/'README.md').read_text(encoding='utf-8')),
    long_description_content_type='text/markdown',
    author=cfg['author'], author_email=cfg['author_email'],
    url=cfg['git_url'], license=lic[0],
    keywords=cfg['keywords'].split(),
    classifiers=['Development Status :: ' + statuses[int(cfg['status']) - 1],
                 'Intended Audience :: ' + cfg['audience'].title(),
                 'License :: ' + lic[1],
                 'Natural Language :: ' + cfg['language'].title()] +
                ['Programming Language :: Python :: ' + v
                 for v in py_versions[py_versions.index(min_python):]],
    python_requires='>=' + min_python,
    # `tests` is excluded: torch-fidelity already installs a top-level `tests` package into site-packages
    packages=setuptools.find_packages(include=['v2v', 'v2v.*']),
    include_package_data=True,
    install_requires=cfg['requirements'].split(),
    extras_require={'dev': cfg['dev_requirements'].split()},
    entry_points={'console_scripts': cfg['console_scripts'].split(),
                  'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    zip_safe=False,
)
