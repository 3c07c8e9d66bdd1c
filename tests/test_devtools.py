"dev.py's guards on nbdev's Quarto installers: without Quarto they refuse with directions, install nothing."
import os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
import dev


def run(name, path, *args):
    env = dict(os.environ, PATH=os.pathsep.join(map(str, path)))
    return subprocess.run([str(BIN / name), *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize('name', dev.QUARTO_SCRIPTS)
def test_refuses_without_quarto(name, tmp_path):
    if not (BIN / name).exists(): pytest.skip(f'{name} is not installed in this environment')
    trap = tmp_path / 'bin'
    trap.mkdir()
    for tool in ('pip', 'sudo'):   # a pip or sudo the command must not reach
        (trap / tool).write_text(f'#!/bin/sh\ntouch {tmp_path}/{tool}-ran\n')
        (trap / tool).chmod(0o755)
    r = run(name, [trap, '/usr/bin', '/bin'])
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert 'Quarto is not installed' in r.stderr and 'tools/docs.py' in r.stderr
    assert not list(tmp_path.glob('*-ran'))


def test_passes_through_with_quarto(tmp_path):
    "With a `quarto` on PATH the guard hands over to nbdev's own command (its --help here)."
    fake = tmp_path / 'bin'
    fake.mkdir()
    (fake / 'quarto').write_text('#!/bin/sh\nexit 0\n')
    (fake / 'quarto').chmod(0o755)
    r = run('nbdev_install_quarto', [fake, '/usr/bin', '/bin'], '--help')
    assert r.returncode == 0 and 'Install latest Quarto' in r.stdout, (r.stdout, r.stderr)
