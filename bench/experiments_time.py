"""`sat-repro experiments --quick` at an earlier commit and at a later one, back to back on one machine: wall time of
each and their ratio (now / baseline). Both commits are read with `git archive` and imported from there, as in
`demo_time.py`; each command runs in its own process with the default threads, as a user runs it.

    python bench/experiments_time.py                     # 467c7bf (the issue's reference), then HEAD
    python bench/experiments_time.py --baseline HEAD~3
"""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, gemm_flops, emit, log
from demo_time import ROOT, RUN, tree_at

def run_quick(src: Path, out: Path) -> float:
    "Wall time of `sat-repro experiments --quick` run from the package in `src`."
    cmd = [sys.executable, '-c', RUN, '-q', 'experiments', '--quick', '--out', str(out)]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=dict(os.environ, PYTHONPATH=str(src)), cwd=out.parent, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode: raise SystemExit(f"experiments --quick from {src} failed ({r.returncode}): {r.stderr[-2000:]}")
    return round(time.perf_counter() - t0, 1)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--baseline', default='467c7bf')
    p.add_argument('--now', default='HEAD')
    a = p.parse_args()
    now = subprocess.run(['git', '-C', str(ROOT), 'rev-parse', '--short', a.now], capture_output=True, text=True,
                         check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix='sat-exp-time-') as tmp:
        tmp = Path(tmp)
        old_src, new_src = tree_at(a.baseline, tmp / 'baseline'), tree_at(now, tmp / 'now')
        gemm_before = gemm_flops()
        log(f"experiments --quick at {a.baseline} ...")
        old = run_quick(old_src, tmp / 'exp_baseline')
        log(f"  {old} s; at {now} ...")
        new = run_quick(new_src, tmp / 'exp_now')
        log(f"  {new} s")
        gemm_after = gemm_flops()
    emit(dict(machine(), bench='experiments_time', baseline=a.baseline, now=now,
              gemm_gflops_before_after=[round(gemm_before / 1e9), round(gemm_after / 1e9)],
              baseline_seconds=old, now_seconds=new, now_over_baseline=round(new / old, 3)))

if __name__ == '__main__': main()
