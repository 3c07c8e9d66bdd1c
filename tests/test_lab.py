"""The viewer notebook as students open it: JupyterLab in headless Chromium. Run all cells of a copy of
18_viewer.ipynb, wait for the kernel, and no cell may raise and no widget may fail to display; Play on
`scrub` must change the frame on screen; then save, close, reopen with a new kernel (nothing run), and the
saved widgets must still show and play. A screenshot goes to outputs/lab_viewer.png."""
import os, shutil, subprocess, sys, time, uuid
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
NB = '18_viewer.ipynb'

OPEN = ('async () => {                                    '
        '// the notebook panel, its document and kernel ready\n'
        '  const app = window.jupyterapp;\n'
        '  for (let i = 0; i < 600 && '
        '!(app.shell.currentWidget && app.shell.currentWidget.sessionContext); i++) '
        'await new Promise(r => setTimeout(r, 100));\n'
        '  const w = app.shell.currentWidget;\n'
        '  await w.context.ready; await w.sessionContext.ready;\n'
        '  return w.context.path;\n'
        '}')
STATE = ("() => {                                         "
         "// kernel status, unrun code cells, error outputs\n"
         "  const w = window.jupyterapp.shell.currentWidget, "
         "cells = w.content.widgets.filter(c => c.model.type === 'code');\n"
         "  const k = w.sessionContext.session && w.sessionContext.session.kernel;\n"
         "  return {status: k ? k.status : 'none', "
         "unrun: cells.filter(c => c.model.executionCount === null).length, n: cells.length,\n"
         "          errors: cells.flatMap(c => c.model.outputs.toJSON()"
         ".filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue))};\n"
         "}")


def test_viewer_notebook_in_jupyterlab(tmp_path, chromium, free_port, listening):
    from playwright.sync_api import sync_playwright
    # a copy of the notebooks (the test saves the notebook), with the repository's data beside it as ../data
    work = tmp_path / 'work'
    shutil.copytree(ROOT / 'nbs', work / 'nbs',
                    ignore=shutil.ignore_patterns('runs', '_*', '.ipynb_checkpoints', 'outputs'))
    (work / 'data').symlink_to(ROOT / 'data')
    # what dev.py's set-up writes
    overrides = Path(sys.prefix) / 'share' / 'jupyter' / 'lab' / 'settings' / 'overrides.json'
    assert '"saveState": true' in (overrides.read_text() if overrides.is_file() else ''), (
        f'{overrides}: run python3 dev.py setup')
    port, token = free_port, uuid.uuid4().hex
    base = f'http://127.0.0.1:{port}'
    env = dict(os.environ, PYTHONPATH='', JUPYTER_PLATFORM_DIRS='1',
               JUPYTER_CONFIG_DIR=str(tmp_path / 'jupyter_config'),
               JUPYTER_RUNTIME_DIR=str(tmp_path / 'jupyter_runtime'),
               JUPYTER_DATA_DIR=str(tmp_path / 'jupyter_data'), OMP_NUM_THREADS='1')
    # the kernel must find ipykernel's spec of this environment, which JUPYTER_DATA_DIR would hide
    env['JUPYTER_PATH'] = str(Path(sys.prefix) / 'share' / 'jupyter')
    log = open(tmp_path / 'lab.log', 'w')
    server = subprocess.Popen([sys.executable, '-m', 'jupyterlab', '--no-browser', f'--port={port}',
                               '--ServerApp.ip=127.0.0.1', f'--IdentityProvider.token={token}',
                               '--allow-root', f'--ServerApp.root_dir={work / "nbs"}',
                               f'--LabApp.user_settings_dir={tmp_path / "settings"}',
                               f'--LabApp.workspaces_dir={tmp_path / "ws"}',
                               '--LabApp.expose_app_in_browser=True', '--LabApp.news_url=',
                               '--LabServerApp.extension_manager=readonly'],
                              cwd=work / 'nbs', env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        listening(port, server, 'jupyter lab', timeout=90)
        with sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(str(tmp_path / 'profile'),
                                                       viewport=dict(width=1400, height=900), **chromium)
            # nothing leaves the machine
            ctx.route('**/*', lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
            page = ctx.new_page()
            page.goto(f'{base}/lab/tree/{NB}?token={token}', timeout=120_000)
            page.wait_for_function('() => window.jupyterapp && window.jupyterapp.shell', timeout=120_000)
            assert page.evaluate(OPEN) == NB

            # run all cells and wait until every one has run and the kernel is idle
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            t0, st = time.time(), None
            while time.time() - t0 < 300:
                st = page.evaluate(STATE)
                if st['errors'] or (st['unrun'] == 0 and st['status'] == 'idle'): break
                time.sleep(1)
            assert not st['errors'], f'cells raised: {st["errors"]}'
            assert st['unrun'] == 0 and st['status'] == 'idle', f'after {time.time() - t0:.0f} s: {st}'
            page.wait_for_timeout(1000)
            assert 'Error displaying widget' not in page.inner_text('body')

            def plays():
                "Play the first scrub, collect what its first panel shows for a few seconds; pause again."
                play, panel = page.locator('.v2v-play button').first, page.locator('.v2v-frames').first
                panel.scroll_into_view_if_needed()
                panel.wait_for(timeout=30_000)
                play.click()
                seen, t0 = set(), time.time()
                while len(seen) < 3 and time.time() - t0 < 10:
                    seen.add(panel.screenshot())
                    time.sleep(0.1)
                play.click()
                return len(seen)

            assert plays() >= 3, 'Play did not change the frame on screen'
            (ROOT / 'outputs').mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / 'outputs' / 'lab_viewer.png'))

            # save, shut the kernel down, close; reopen with a new kernel and run nothing:
            # the saved widgets still show
            KERNEL = "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.id"
            first = page.evaluate(KERNEL)
            page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
            page.wait_for_timeout(1000)
            page.evaluate("async () => { "
                          "await window.jupyterapp.shell.currentWidget.sessionContext.shutdown(); "
                          "await window.jupyterapp.commands.execute('application:close-all'); }")
            page.wait_for_timeout(1000)
            page.evaluate("() => window.jupyterapp.commands.execute('docmanager:open', "
                          f"{{path: '{NB}', factory: 'Notebook', kernel: {{name: 'python3'}}}})")
            assert page.evaluate(OPEN) == NB
            page.locator('.v2v-frames').first.wait_for(timeout=60_000)
            body = page.inner_text('body')
            assert 'Error displaying widget' not in body and 'model not found' not in body.lower()
            # a new kernel that ran nothing: the widgets come from the file
            assert page.evaluate(KERNEL) != first
            assert plays() >= 3, 'the reopened Play did not change the frame on screen'
            ctx.close()
    except BaseException:
        log.flush()
        print('jupyter lab log (tail):\n' + (tmp_path / 'lab.log').read_text()[-3000:])
        raise
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(10)
        log.close()
