"""The README's first command, `sat-repro demo`, at an earlier commit and at a later one, back to back on one machine:
wall time of each, their ratio (now / baseline), and the demo's own checks at each (soft and hard above the caption prior on BLEU-4
and CIDEr, at least a quarter of the test captions distinct, attention mass on the named object above uniform).

Both commits are read with `git archive` into a temporary folder and imported from there (PYTHONPATH), so both run
with this venv's packages and neither sees uncommitted edits; each demo runs in its own process with the default
threads, as a user runs it.

    python bench/demo_time.py                       # 467c7bf (the issue's reference), then HEAD
    python bench/demo_time.py --baseline HEAD~3
    python bench/demo_time.py --quick               # the smoke demo, seconds: checks the script only
"""
import argparse, csv, os, subprocess, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, gemm_flops, emit, log

ROOT = Path(__file__).resolve().parent.parent
RUN = "import sys; from sat_repro.cli import main; sys.exit(main(sys.argv[1:]))"

def tree_at(commit: str, into: Path) -> Path:
    "The repository's files at `commit`, in `into`."
    into.mkdir(parents=True)
    archive = subprocess.run(['git', '-C', str(ROOT), 'archive', commit], check=True, capture_output=True).stdout
    subprocess.run(['tar', '-x', '-C', str(into)], input=archive, check=True)
    return into

def run_demo(src: Path, out: Path, quick: bool) -> dict:
    "Wall time and the results table of `sat-repro demo` run from the package in `src`."
    env = dict(os.environ, PYTHONPATH=str(src))
    cmd = [sys.executable, '-c', RUN, 'demo', '--out', str(out), '--no-progress'] + (['--quick'] if quick else [])
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, cwd=out.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t0
    if r.returncode: raise SystemExit(f"demo from {src} failed ({r.returncode}): {r.stderr[-2000:]}")
    with open(out / 'results.csv') as f: rows = {row['model']: row for row in csv.DictReader(f)}
    return dict(seconds=round(seconds, 1), results=rows)

def checks(rows: dict) -> dict:
    "The demo's checks, from its results table."
    num = lambda m, k: float(rows[m][k] or 'nan')                 # n/a is written as an empty cell
    prior = 'caption prior'
    ok = {}
    for kind in ('soft', 'hard'):
        ok[f'{kind} above prior (BLEU-4, CIDEr)'] = all(num(kind, k) > num(prior, k) for k in ('BLEU-4', 'CIDEr'))
        ok[f'{kind} distinct >= 25%'] = num(kind, 'distinct_captions') >= 25
        ok[f'{kind} mass above uniform'] = num(kind, 'attention mass in named object') > num(kind, 'uniform mass')
    return ok

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--baseline', default='467c7bf')
    p.add_argument('--now', default='HEAD')
    p.add_argument('--quick', action='store_true')
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix='sat-demo-time-') as tmp:
        tmp = Path(tmp)
        now = subprocess.run(['git', '-C', str(ROOT), 'rev-parse', '--short', a.now], capture_output=True, text=True,
                             check=True).stdout.strip()             # the commit measured, named before it runs
        old_src, new_src = tree_at(a.baseline, tmp / 'baseline'), tree_at(now, tmp / 'now')
        gemm_before = gemm_flops()
        log(f"demo at {a.baseline} ...")
        old = run_demo(old_src, tmp / 'demo_baseline', a.quick)
        log(f"  {old['seconds']} s; demo at {a.now} ...")
        new = run_demo(new_src, tmp / 'demo_now', a.quick)
        log(f"  {new['seconds']} s")
        gemm_after = gemm_flops()
    emit(dict(machine(), bench='demo_time', quick=a.quick, baseline=a.baseline, now=now,
              gemm_gflops_before_after=[round(gemm_before / 1e9), round(gemm_after / 1e9)],
              baseline_seconds=old['seconds'], now_seconds=new['seconds'],
              now_over_baseline=round(new['seconds'] / old['seconds'], 3),
              baseline_checks=checks(old['results']), now_checks=checks(new['results']),
              baseline_results={m: {k: r[k] for k in ('BLEU-4', 'CIDEr', 'distinct_captions')}
                                for m, r in old['results'].items()},
              now_results={m: {k: r[k] for k in ('BLEU-4', 'CIDEr', 'distinct_captions')}
                           for m, r in new['results'].items()}))

if __name__ == '__main__': main()
