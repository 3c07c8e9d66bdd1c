"""The viewer in a real browser: Voila serves a notebook that shows `scrub()`, headless Chromium presses
Play and moves the slider, and the frame on screen must follow. Then the server is stopped and Play must
still work: the controls are linked in the browser (jslink), not through the kernel. A screenshot is saved
to outputs/browser_scrub.png."""
import io, json, os, subprocess, sys, time
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
T, LEVEL0, STEP = 8, 20, 25   # the 'probe' panel's frame t is a flat grey of level LEVEL0 + STEP * t

NOTEBOOK = f'''
import torch
from v2v.data import SyntheticScenes
from v2v.viewer import scrub
item = SyntheticScenes(1, {T}, (32, 48), seed=0)[0]
probe = torch.stack([torch.full((3, 32, 48), ({LEVEL0} + {STEP} * t) / 127.5 - 1) for t in range({T})])
scrub({{'probe': probe, 'labels': item['label'], 'image': item['image'], 'flow': item['flow']}}, fps=10,
      metric=item['image'].mean((1, 2, 3)), metric_title='mean brightness')
'''


def write_notebook(path):
    cell = dict(cell_type='code', execution_count=None, id='scrub', metadata={}, outputs=[],
                source=NOTEBOOK.strip())
    meta = dict(kernelspec=dict(name='python3', display_name='Python 3', language='python'))
    path.write_text(json.dumps(dict(cells=[cell], metadata=meta, nbformat=4, nbformat_minor=5)))


def test_scrub_plays_and_scrubs_in_chromium(tmp_path, chromium, free_port, listening):
    from playwright.sync_api import sync_playwright
    from PIL import Image
    t_start = time.time()
    write_notebook(tmp_path / 'scrub.ipynb')
    port = free_port
    base = f'http://127.0.0.1:{port}'
    env = dict(os.environ, PYTHONPATH='', JUPYTER_PLATFORM_DIRS='1',
               JUPYTER_CONFIG_DIR=str(tmp_path / 'jupyter_config'),
               JUPYTER_RUNTIME_DIR=str(tmp_path / 'jupyter_runtime'), OMP_NUM_THREADS='1')
    log = open(tmp_path / 'voila.log', 'w')
    server = subprocess.Popen([sys.executable, '-m', 'voila', str(tmp_path / 'scrub.ipynb'), '--no-browser',
                               f'--port={port}', '--Voila.ip=127.0.0.1'],
                              cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        listening(port, server, 'voila')
        t_up = time.time()
        with sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(str(tmp_path / 'profile'),
                                                       viewport=dict(width=1400, height=700), **chromium)
            # nothing leaves this machine: requests to anything but our server are refused
            ctx.route('**/*', lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
            page = ctx.new_page()
            t_browser = time.time()
            page.goto(base + '/', timeout=60_000)
            t_page = time.time()
            probe = page.locator('.v2v-frames').first
            probe.wait_for(timeout=90_000)
            t_shown = time.time()
            readout = page.locator('.v2v-slider .widget-readout')

            def shown():
                "The probe panel's frame index, read from its pixels; its grey level when that is no frame's."
                level = Image.open(io.BytesIO(probe.screenshot())).convert('L').getpixel((4, 4))
                t, r = divmod(level - LEVEL0, STEP)
                # e.g. 255: an empty, not yet painted panel
                return t if r == 0 and 0 <= t < T else f'grey level {level}'

            def settle(want=None, timeout=5):
                "Wait until the probe shows frame `want` (or any frame), return it."
                t0 = time.time()
                while time.time() - t0 < timeout:
                    t = shown()
                    if want is None or t == want: return t
                    time.sleep(0.05)
                return t

            titles = page.locator('.v2v-frames').evaluate_all(
                'els => els.map(e => e.parentElement.innerText.trim())')
            assert titles == ['probe', 'labels', 'image', 'flow', 'mean brightness']
            assert settle(0) == 0 and readout.inner_text().strip() == '0'

            # Play: the frames advance by themselves
            page.locator('.v2v-play button').first.click()
            seen, t0 = set(), time.time()
            # several loops: a switch must never flash
            while (len(seen) < 4 or time.time() - t0 < 4) and time.time() - t0 < 10:
                seen.add(shown())
                time.sleep(0.02)
            # the same button pauses
            page.locator('.v2v-play button').first.click()
            assert len(seen) >= 4, f'Play showed only frames {sorted(seen)}'
            assert seen <= set(range(T)), (f'during Play the probe showed something other than frames '
                                           f'0..{T - 1}: {seen - set(range(T))}')

            # The slider: keyboard and mouse move it, and the frame on screen follows
            handle = page.locator('.v2v-slider .noUi-handle')
            handle.focus()
            page.keyboard.press('End')
            assert settle(T - 1) == T - 1 and readout.inner_text().strip() == str(T - 1)
            page.keyboard.press('Home')
            page.keyboard.press('ArrowRight')
            page.keyboard.press('ArrowRight')
            assert settle(2) == 2 and readout.inner_text().strip() == '2'
            box = page.locator('.v2v-slider .noUi-base').bounding_box()
            hb = handle.bounding_box()
            page.mouse.move(hb['x'] + hb['width'] / 2, hb['y'] + hb['height'] / 2)
            page.mouse.down()
            page.mouse.move(box['x'] + box['width'] * 5 / (T - 1), hb['y'] + hb['height'] / 2, steps=5)
            page.mouse.up()
            assert settle(5) == 5 and readout.inner_text().strip() == '5'
            image_at_5 = page.locator('.v2v-frames').nth(2).screenshot()
            handle.focus()
            page.keyboard.press('ArrowLeft')
            assert settle(4) == 4
            # the other panels follow too
            assert page.locator('.v2v-frames').nth(2).screenshot() != image_at_5
            (ROOT / 'outputs').mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / 'outputs' / 'browser_scrub.png'))
            page.screenshot(path=str(tmp_path / 'browser_scrub.png'))

            # No kernel: stop the server, press Play, and the frames must still advance
            server.terminate()
            server.wait(10)
            page.locator('.v2v-play button').first.click()
            seen, t0 = set(), time.time()
            while len(seen) < 3 and time.time() - t0 < 10:
                seen.add(shown())
                time.sleep(0.03)
            assert len(seen) >= 3, f'without a kernel Play showed only frames {sorted(seen)}'
            ctx.close()
        print(f'browser test: server up {t_up - t_start:.1f} s, browser {t_browser - t_start:.1f} s, '
              f'page {t_page - t_start:.1f} s, '
              f'widgets on screen {t_shown - t_start:.1f} s, done {time.time() - t_start:.1f} s')
    except BaseException:
        log.flush()
        print('voila log (tail):\n' + (tmp_path / 'voila.log').read_text()[-3000:])
        raise
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(10)
        log.close()
