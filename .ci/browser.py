#!/usr/bin/env python
"""The attention explorer in a real browser: JupyterLab, headless Chromium, a click on a word.

Trains two tiny runs (soft and hard, a few seconds), writes a notebook that opens `sat_repro.explore` on them, starts
JupyterLab headless on a free port in a temporary folder, and drives Debian's `chromium` with the `playwright` package:
run the notebook, wait for the explorer's picture, click a word of the soft run's caption, wait for the picture to
change. Saves a screenshot of the explorer after the click to SHOTS/explorer.png (before it: explorer_before.png).

    OMP_NUM_THREADS=1 python .ci/browser.py
    OMP_NUM_THREADS=1 python .ci/browser.py --runs sat_demo/run_soft sat_demo/run_hard --images a.png b.png
                                                  (trained runs and images of one's own, for a screenshot that means
                                                  something: the demo's, say)

Prints one line "browser check skipped: <reason>" and exits 0 where there is no chromium or no playwright
(`apt-get install chromium`, `pip install playwright`; `playwright install` is not needed); exits 1 on a real failure.
"""
import argparse, json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path(tempfile.gettempdir()) / 'sat-browser'    # screenshots; --shots nbs/images for the README's
BROWSERS = ('chromium', 'chromium-browser', 'google-chrome')
FAILED = Path(tempfile.gettempdir()) / 'sat-browser-failure.png'     # the page as it was when a step failed


def skip(reason: str):
    print(f"browser check skipped: {reason}")
    sys.exit(0)


def find_browser():
    "(playwright's sync API, the chromium executable), or a skip naming what is missing."
    try: from playwright.sync_api import sync_playwright
    except ImportError: skip("the playwright package is not installed (pip install playwright)")
    exe = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    if exe is None: skip("no chromium executable on PATH (apt-get install chromium)")
    return sync_playwright, exe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def tiny_runs(folder: Path) -> tuple:
    "Two runs trained for a few seconds (soft on shapes, hard on glyphs) and two test images."
    import torch
    torch.set_num_threads(1)
    from sat_repro.config import preset, Sources, Job
    from sat_repro.data import load_karpathy
    from sat_repro.glyphs import make_glyphs
    from sat_repro.shapes import make_shapes
    from sat_repro.train import train
    tiny = dict(D=16, m=16, n=32, att_hidden=16, batch_size=16, beam=3, pretrain_steps=0, lr=0.01)
    sets = {'soft': make_shapes(folder / 'shapes', n_images=60, seed=0),
            'hard': make_glyphs(folder / 'glyphs', n_images=60, seed=0)}
    for kind, epochs in (('soft', 3), ('hard', 4)):
        train(Job(preset('shapes', attention=kind, epochs=epochs, **tiny), Sources(sets[kind]), folder / kind,
                  progress=False))
    images = [str(load_karpathy(js).split('test')[0].path) for js in sets.values()]
    return [str(folder / 'soft'), str(folder / 'hard')], images


def write_notebook(path: Path, runs: list, images: list):
    source = ("import torch\ntorch.set_num_threads(1)\nimport sat_repro\n"
              f"w = sat_repro.explore({runs!r}, {images!r}, k=3, n_paths=6, widget=True)\nw")
    cell = dict(cell_type='code', id='explore', metadata={}, execution_count=None, outputs=[], source=source)
    kernel = dict(display_name='python3', language='python', name='python3')
    path.write_text(json.dumps(dict(cells=[cell], metadata=dict(kernelspec=kernel), nbformat=4, nbformat_minor=5)))


def start_lab(folder: Path, port: int) -> subprocess.Popen:
    "JupyterLab on 127.0.0.1:port serving `folder`, no token, its runtime and settings files kept in `folder`."
    env = dict(os.environ, OMP_NUM_THREADS='1', JUPYTER_RUNTIME_DIR=str(folder / '.runtime'),
               JUPYTERLAB_WORKSPACES_DIR=str(folder / '.workspaces'), JUPYTERLAB_SETTINGS_DIR=str(folder / '.settings'))
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', f'--port={port}', '--ip=127.0.0.1',
           '--ServerApp.token=', '--ServerApp.password=', '--ServerApp.disable_check_xsrf=True',
           f'--ServerApp.root_dir={folder}', '--allow-root']
    lab = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=open(folder / 'lab.log', 'w'))
    for _ in range(120):
        try:
            urllib.request.urlopen(f'http://127.0.0.1:{port}/api/status', timeout=1)
            return lab
        except OSError: time.sleep(0.5)
        if lab.poll() is not None: break
    raise RuntimeError(f"JupyterLab did not start ({folder / 'lab.log'}):\n" + (folder / 'lab.log').read_text()[-2000:])


def stop(lab: subprocess.Popen):
    "The server we started, and through it its kernel: SIGTERM, then SIGKILL after 15 s."
    if lab.poll() is None:
        lab.send_signal(signal.SIGTERM)
        try: lab.wait(15)
        except subprocess.TimeoutExpired: lab.kill()


def picture_src(page) -> str:
    return page.locator('.sat-explorer-picture').first.get_attribute('src') or ''


def run_cell(page, tries: int = 4):
    "Run the notebook's one cell (Shift+Enter in it), again if the kernel was not ready for it; wait for the picture."
    cell = page.locator('.jp-Notebook .jp-Cell').first
    cell.wait_for(timeout=60_000)
    started = "p => /\\[(\\*|\\d+)\\]/.test(p.textContent)"             # its prompt shows [*] or [1]
    for _ in range(tries):
        cell.locator('.cm-content').click()
        page.keyboard.press('Shift+Enter')
        try:
            page.wait_for_function(started, arg=cell.locator('.jp-InputPrompt').element_handle(), timeout=20_000)
            break
        except Exception: page.wait_for_timeout(2_000)               # kernel still starting, or focus elsewhere
    page.locator('.sat-explorer-picture').first.wait_for(timeout=120_000)
    page.wait_for_function("() => (document.querySelector('.sat-explorer-picture') || {}).src", timeout=60_000)


def click_a_word(page, shots: Path) -> str:
    "Click the third word of the first run's caption, wait for the picture to change; screenshots before and after."
    explorer = page.locator('.jp-OutputArea-output').first
    shots.mkdir(parents=True, exist_ok=True)
    explorer.screenshot(path=str(shots / 'explorer_before.png'))
    before = picture_src(page)
    word = page.locator('.sat-explorer-words').first.locator('button').nth(2)
    label = word.inner_text()
    word.click()
    page.wait_for_function("b => document.querySelector('.sat-explorer-picture').src !== b", arg=before,
                           timeout=60_000)
    explorer.screenshot(path=str(shots / 'explorer.png'))
    return label


def drive(sync_playwright, exe: str, port: int, shots: Path) -> str:
    "Open the notebook in headless chromium, run it, click a word; the page saved to FAILED if a step fails."
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=['--no-sandbox', '--disable-gpu'])
        page = browser.new_page(viewport={'width': 1400, 'height': 1000})
        try:
            page.goto(f'http://127.0.0.1:{port}/lab/tree/explore.ipynb', timeout=60_000)
            run_cell(page)
            return click_a_word(page, shots)
        except Exception:
            page.screenshot(path=str(FAILED))
            raise
        finally: browser.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--runs', nargs='+', help='run folders to explore (default: two tiny runs trained here)')
    ap.add_argument('--images', nargs='+', help='image files (with --runs)')
    ap.add_argument('--shots', default=str(SHOTS), help=f'folder for the screenshots (default {SHOTS}; the README\'s: '
                    'nbs/images, with --runs of a trained model)')
    args = ap.parse_args()
    if bool(args.runs) != bool(args.images): ap.error('--runs and --images go together')
    sync_playwright, exe = find_browser()
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix='sat-browser-') as tmp:
        folder = Path(tmp)
        if args.runs:
            runs = [str(Path(r).resolve()) for r in args.runs]
            images = [str(Path(i).resolve()) for i in args.images]
        else: runs, images = tiny_runs(folder)
        write_notebook(folder / 'explore.ipynb', runs, images)
        port = free_port()
        lab = start_lab(folder, port)
        try: label = drive(sync_playwright, exe, port, Path(args.shots))
        except Exception as e:
            print(f"browser check FAILED: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''} "
                  f"(the page then: {FAILED})")
            return 1
        finally: stop(lab)
    took = time.time() - t0
    print(f"browser check ok: JupyterLab + {Path(exe).name}, clicked the word {label!r}, the picture changed; "
          f"screenshots in {args.shots}/explorer_before.png and explorer.png ({took:.0f} s)")
    return 0


if __name__ == '__main__':
    sys.exit(main())
