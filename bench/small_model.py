"""The embedded default's training step (small matrices: L=64, D=128, n=256, batch 32, 16-token captions).

`one_thread`: the step (forward, backward, Adam) at one thread for soft attention, hard attention and the caption prior,
as a fraction of the dense-GEMM FLOP/s (the FLOP count of train_throughput.py; the prior's counts only what a prior
needs, no attention), for the code of a baseline commit (`--baseline`, default HEAD: the last committed code, extracted
with `git archive` to a temporary folder and imported as `sat_repro_before`, the work tree untouched) and for the work
tree's, both in one process, their steps alternated in four rounds with the GEMM measured between the rounds, so that
both sides see the same machine. A prior runs as `sat-repro train` runs one: `caption_prior=True` on zero annotations.

`compiled`: the work tree's soft step with `torch.compile` on the decoder's time loop (`Decoder.unroll`) against the
same step eager, alternated in one process, and the seconds the first compiled steps took (far fewer when inductor's
cache on disk is warm); `--compile-lengths` gives batches of several caption lengths, as training draws them, each
length compiled once.

`processes`: one process using both cores against two one-thread processes side by side, the way `sat-repro
experiments` runs its table (tokens/s in total and as a fraction of the GEMM FLOP/s measured alongside on both cores).
Why: at these sizes a training step is dozens of small kernels per time step, and a second thread inside each kernel
buys little (the step is short, the threads synchronise at every op); two runs that each own a core keep both busy.

    python bench/small_model.py                       # 40 timed steps per side and process; 2-3 minutes
    python bench/small_model.py --baseline 467c7bf    # against another commit
    python bench/small_model.py --quick               # a few seconds
"""
import argparse, json, statistics, subprocess, sys, tempfile, time
from pathlib import Path
ROOT = Path(__file__).resolve().parent.parent

def trainer(args, compile=False, package='sat_repro'):
    "(step(i), caption lengths Ts, cfg, K, B): a decoder's training step on the i-th batch, lengths taken in turn."
    import importlib, torch
    preset = importlib.import_module(f'{package}.config').preset
    Decoder = importlib.import_module(f'{package}.decoder').Decoder
    learning = importlib.import_module(f'{package}.learning')
    compute_loss, Baseline = learning.compute_loss, learning.Baseline
    make_optimizer = lambda ps, cfg: torch.optim.Adam(ps, lr=cfg.lr, betas=(0.9, 0.999), eps=1e-8, fused=True)  # train's
    torch.manual_seed(0)
    prior = args.attention == 'prior'
    cfg = preset('shapes', attention='soft' if prior else args.attention, batch_size=args.batch, caption_prior=prior)
    K, B = 30, cfg.batch_size
    dec, base = Decoder(cfg, K), Baseline()
    if compile: dec.unroll = torch.compile(dec.unroll)
    opt = make_optimizer(dec.parameters(), cfg)
    Ts = [int(t) for t in args.lengths.split(',')] if args.lengths else [args.T]   # caption lengths, taken in turn
    a = torch.zeros(B, cfg.L, cfg.D) if prior else torch.randn(B, cfg.L, cfg.D)  # zeros: what a prior is given
    batches = [(torch.randint(4, K, (B, t)), torch.full((B,), t)) for t in Ts]
    def step(i):
        y, lengths = batches[i % len(batches)]
        loss, _ = compute_loss(dec, a, y, lengths, cfg, base)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return step, Ts, cfg, K, B

def child(args):
    "One process: `args.threads` threads, `args.steps` timed steps of the code in `args.src`; prints tokens/s."
    if args.src: sys.path.insert(0, args.src)
    import torch
    sys.path.insert(1, str(Path(__file__).parent))
    from _common import gemm_flops, emit
    from train_throughput import flops_per_step
    torch.set_num_threads(args.threads)
    if args.compile: return compare_compile(args)
    if args.ab: return compare_code(args)
    step, Ts, cfg, K, B = trainer(args)
    t0 = time.perf_counter()
    for i in range(len(Ts) + 2): step(i)
    warmup = time.perf_counter() - t0
    gemm = [gemm_flops()]
    t0 = time.perf_counter()
    for i in range(args.steps): step(i)
    dt = (time.perf_counter() - t0) / args.steps
    gemm.append(gemm_flops())
    T_mean = sum(Ts[i % len(Ts)] for i in range(args.steps)) / args.steps
    f, g = flops_per_step(cfg, K, B, T_mean), statistics.median(gemm)
    emit(dict(threads=args.threads, sec_per_step=dt, tokens_per_s=B * T_mean / dt, flops_per_step=f, gemm_gflops=g / 1e9,
              fraction_of_gemm=f / dt / g, warmup_sec=warmup, code=str(Path(sys.modules['sat_repro'].__file__).parent)))

def compare_code(args):
    "One process, one thread: the step of the baseline's code (package sat_repro_before in args.src) and of the work "\
    "tree's, alternated; each side's fraction of the GEMM FLOP/s measured between the rounds."
    from _common import gemm_flops, emit
    from train_throughput import flops_per_step
    sides, gemm = {}, []
    for side, package in (('before', 'sat_repro_before'), ('after', 'sat_repro')):
        step, Ts, cfg, K, B = trainer(args, package=package)
        for i in range(3): step(i)
        sides[side] = dict(step=step, sec=[], flops=flops_per_step(cfg, K, B, Ts[0]), tokens=B * Ts[0])
    n = max(1, args.steps // 4)
    for _ in range(4):
        gemm.append(gemm_flops())
        for r in sides.values():
            t0 = time.perf_counter()
            for i in range(n): r['step'](i)
            r['sec'].append((time.perf_counter() - t0) / n)
    gemm.append(gemm_flops())
    g = statistics.median(gemm)
    out = {side: dict(fraction_of_gemm=r['flops'] / statistics.median(r['sec']) / g,
                      tokens_per_s=r['tokens'] / statistics.median(r['sec'])) for side, r in sides.items()}
    emit(dict(out, speedup=out['after']['tokens_per_s'] / out['before']['tokens_per_s'], gemm_gflops=g / 1e9))

def compare_compile(args):
    "One process, one thread: the eager step and the step with torch.compile on Decoder.unroll, alternated."
    import torch
    from _common import emit
    runs = {}
    for comp in (False, True):
        step, Ts, *_ = trainer(args, comp)
        t0 = time.perf_counter()
        for i in range(len(Ts) + 2): step(i)                     # every length once: compiled once each
        runs[comp] = dict(step=step, warmup=time.perf_counter() - t0, tok=[])
    n = max(len(Ts), args.steps // 4)
    for _ in range(4):
        for comp, r in runs.items():
            t0 = time.perf_counter()
            for i in range(n): r['step'](i)
            r['tok'].append(args.batch * sum(Ts[i % len(Ts)] for i in range(n)) / (time.perf_counter() - t0))
    med = {comp: statistics.median(r['tok']) for comp, r in runs.items()}
    emit(dict(lengths=Ts, eager_tokens_per_s=med[False], compiled_tokens_per_s=med[True],
              compiled_over_eager=med[True] / med[False], compile_sec=runs[True]['warmup'] - runs[False]['warmup']))

def cmd(args, threads: int, attention: str, src=None, compile=False, lengths=None) -> list:
    c = [sys.executable, __file__, '--child', '--threads', str(threads), '--steps', str(args.steps), '--T', str(args.T),
         '--batch', str(args.batch), '--attention', attention]
    return c + (['--src', str(src)] if src else []) + (['--compile'] if compile else []) + \
        (['--lengths', lengths] if lengths else [])

def run(c: list, threads: int = 1) -> dict:
    env = dict(__import__('os').environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    out = subprocess.run(c, stdout=subprocess.PIPE, text=True, check=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])

def spawn(args, threads: int, n: int) -> list:
    "n child processes of `threads` threads each (the work tree's code), started together; their results."
    env = dict(__import__('os').environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    ps = [subprocess.Popen(cmd(args, threads, args.attention), stdout=subprocess.PIPE, text=True, env=env)
          for _ in range(n)]
    return [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in ps]

def baseline_source(rev: str, into: Path) -> str:
    "The package as committed at `rev`, extracted into `into` as `sat_repro_before`; returns the commit's id."
    sha = subprocess.run(['git', 'rev-parse', '--short', rev], cwd=ROOT, capture_output=True, text=True, check=True)
    tar = subprocess.run(['git', 'archive', rev, 'sat_repro'], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(['tar', '-x', '-C', str(into)], input=tar, check=True)
    (into / 'sat_repro').rename(into / 'sat_repro_before')       # its imports are relative: it runs under this name
    return sha.stdout.strip()

def one_thread(args, log) -> dict:
    "Per kind, one process running the baseline's step and the work tree's alternately (`compare_code`)."
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        rev = baseline_source(args.baseline, Path(tmp))
        for kind in ('soft', 'hard', 'prior'):
            res[kind] = run(cmd(args, 1, kind, src=tmp) + ['--ab'])
            log(kind, res[kind])
    return dict(baseline=rev, **res)

def compiled(args, log) -> dict:
    "The work tree's soft step eager and with torch.compile on Decoder.unroll, alternated in one process."
    try: r = run(cmd(args, 1, 'soft', compile=True, lengths=args.compile_lengths))
    except subprocess.CalledProcessError as e: return dict(error=f"torch.compile failed (exit {e.returncode})")
    log('compiled', r)
    return r

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--quick', action='store_true')
    p.add_argument('--child', action='store_true')
    p.add_argument('--src', help='(child) import sat_repro from this folder')
    p.add_argument('--ab', action='store_true', help='(child) the baseline (sat_repro_before in --src) against the work tree')
    p.add_argument('--compile', action='store_true', help='(child) eager against torch.compile on Decoder.unroll')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--steps', type=int, default=40)
    p.add_argument('--T', type=int, default=16)
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--attention', default='soft')
    p.add_argument('--lengths', help='(child) comma-separated caption lengths, one batch of each, taken in turn')
    p.add_argument('--compile-lengths', default='16', help="caption lengths of the torch.compile comparison, e.g. "
                   "'16,12,9,14,7,11' (each new length compiles again)")
    p.add_argument('--baseline', default='HEAD', help='commit whose code is "before" (default: HEAD)')
    args = p.parse_args()
    if args.child: return child(args)
    import torch
    sys.path.insert(0, str(Path(__file__).parent))
    from _common import machine, gemm_flops, emit, log
    if args.quick: args.steps = 4
    ones = one_thread(args, log)
    comp = compiled(args, log)
    torch.set_num_threads(2)
    gemm = [gemm_flops()]
    one = spawn(args, 2, 1)[0]
    gemm.append(gemm_flops())
    two = spawn(args, 1, 2)
    gemm.append(gemm_flops())
    g, f = statistics.median(gemm), one['flops_per_step']
    agg = sum(r['tokens_per_s'] for r in two)
    emit(dict(benchmark='small_model', machine=machine(), batch=args.batch, T=args.T, steps=args.steps,
              one_thread=ones, compiled=comp,
              processes=dict(attention=args.attention, gemm_gflops=g / 1e9,
                             one_process_two_threads=dict(tokens_per_s=one['tokens_per_s'],
                                                          fraction_of_gemm=f / one['sec_per_step'] / g),
                             two_processes_one_thread=dict(tokens_per_s=agg, per_process=[r['tokens_per_s'] for r in two],
                                                           fraction_of_gemm=sum(f / r['sec_per_step'] for r in two) / g),
                             speedup=agg / one['tokens_per_s'])))

if __name__ == '__main__': main()
