"""Training throughput (tokens/s for forward + backward + optimiser step) for soft and hard attention, and the
achieved FLOP/s of that step as a fraction of a dense-GEMM FLOP/s measured in the same run.

FLOP counting rules (a multiply-add = 2 FLOPs; elementwise work, softmax and the embedding lookup not counted):
per image, once: W_a a (2 L D A) and the initial-state layers (2 * 2 D n); per token: the gate map on E y (2 m 4n) and
on [h; z] (2 (n+D) 4n), attention W_h h (2 n A) and scoring w^T tanh(.) (2 L A), the context sum_i alpha_i a_i (2 L D),
f_beta (2 n), the deep output L_h, L_z, L_o (2 n m + 2 D m + 2 m K). Backward is counted as twice the forward (3x in
all). Hard attention gathers one row instead of the context sum (2 L D not counted for it). The caption prior
(`cfg.caption_prior`, whose context is 0) counts only what it needs: the gate map on E y and on h (2 m 4n + 2 n 4n),
the deep output, and the initial state.

Timing: the median of `--steps` steps after one warm-up step, against the median of GEMM measurements taken before,
between and after the steps, so that a busy neighbour on a shared machine slows both sides of the ratio alike.
Each configuration runs in its own subprocess so that its peak memory is its own. `micro` holds the measurements
behind the design choices in 05a_fast (tanh against sigmoid, per-step against deferred weight
gradients, T_hz's stored layout against nn.Linear's, the additive score eager / hand-written / torch.compile).
    python bench/train_throughput.py            # COCO sizes and the embedded default, soft and hard, plus micro
    python bench/train_throughput.py --quick    # a few seconds
"""
import argparse, json, statistics, subprocess, sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, peak_rss_mb, gemm_flops, emit, log, times

def flops_per_step(cfg, K, B, T):
    L, D, m, n, A = cfg.L, cfg.D, cfg.m, cfg.n, cfg.att_hidden
    if cfg.caption_prior:
        return 3 * (B * T * (2 * m * 4 * n + 2 * n * 4 * n + 2 * n * m + 2 * D * m + 2 * m * K) + B * 2 * 2 * D * n)
    per_tok = 2 * m * 4 * n + 2 * (n + D) * 4 * n + 2 * n * A + 2 * L * A + 2 * n + 2 * n * m + 2 * D * m + 2 * m * K
    if cfg.attention == 'soft': per_tok += 2 * L * D
    per_img = 2 * L * D * A + 2 * 2 * D * n
    return 3 * (B * T * per_tok + B * per_img)

def one(args):
    from sat_repro.config import preset
    from sat_repro.decoder import Decoder
    from sat_repro.learning import compute_loss, Baseline
    from sat_repro.train import make_optimizer
    torch.manual_seed(0)
    cfg = preset(args.preset, attention=args.attention, dropout=0.5 if args.preset == 'coco' else 0.1)
    K = cfg.vocab_size + 4 if args.preset == 'coco' else 30
    B, T = cfg.batch_size, args.T
    dec = Decoder(cfg, K); opt = make_optimizer(dec.parameters(), cfg); base = Baseline()
    a = torch.randn(B, cfg.L, cfg.D); y = torch.randint(4, K, (B, T)); lengths = torch.full((B,), T)
    def step():
        loss, _ = compute_loss(dec, a, y, lengths, cfg, base)
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    gemm = [gemm_flops()]
    half = max(1, args.steps // 2)
    ts = times(step, half, warmup=1); gemm.append(gemm_flops())
    ts += times(step, args.steps - half, warmup=0); gemm.append(gemm_flops())
    dt, g = statistics.median(ts), statistics.median(gemm)
    f = flops_per_step(cfg, K, B, T)
    emit(dict(preset=args.preset, attention=args.attention, batch=B, T=T, steps=args.steps, sec_per_step=dt,
              sec_per_step_min=min(ts), tokens_per_s=B * T / dt, flops_per_step=f, achieved_gflops=f / dt / 1e9,
              gemm_gflops=g / 1e9, fraction_of_gemm=f / dt / g, peak_rss_mb=peak_rss_mb()))

def micro(quick=False):
    "The measurements behind the design: COCO sizes, B = 64, L = 196, A = 512, n = 1800, D = 512."
    import torch.nn.functional as F
    from sat_repro.fast import additive_score
    r = 3 if quick else 10
    med = lambda f: statistics.median(times(f, r)) * 1e3
    B, L, A, n, D = 64, 196, 512, 1800, 512
    x = torch.randn(B, L, A)
    out = dict(tanh_ms=med(lambda: torch.tanh(x)), sigmoid_ms=med(lambda: torch.sigmoid(x)))
    # T_hz's weight gradient: T products with inner dimension B, or one with inner dimension T B
    d, hz, Tn = torch.randn(B, 4 * n), torch.randn(B, n + D), 16
    D_all, X_all = torch.randn(Tn * B, 4 * n), torch.randn(Tn * B, n + D)
    fl = 2 * 4 * n * (n + D) * B
    out.update(weight_grad_per_step_gflops=fl / med(lambda: hz.t() @ d) / 1e6,
               weight_grad_deferred_gflops=Tn * fl / med(lambda: X_all.t() @ D_all) / 1e6)
    # one step's gate product in T_hz's stored layout [n+D, 4n] against nn.Linear's [4n, n+D]
    W = torch.randn(4 * n, n + D); Wt = W.t().contiguous()
    out.update(gate_fwd_gflops_stored_layout=fl / med(lambda: torch.addmm(d, hz, Wt)) / 1e6,
               gate_fwd_gflops_linear_layout=fl / med(lambda: torch.addmm(d, hz, W.t())) / 1e6,
               gate_bwd_gflops_stored_layout=fl / med(lambda: d @ Wt.t()) / 1e6,
               gate_bwd_gflops_linear_layout=fl / med(lambda: d @ W) / 1e6)
    keys, q, w = (torch.randn(B, L, A, requires_grad=True), torch.randn(B, A, requires_grad=True), torch.randn(A, requires_grad=True))
    eager = lambda k_, q_, w_: torch.tanh(k_ + q_[:, None]) @ w_
    def fb(f): return lambda: f(keys, q, w).sum().backward()
    out.update(score_fwd_bwd_ms_eager=med(fb(eager)), score_fwd_bwd_ms_additive_score=med(fb(additive_score)))
    if not quick:
        try:
            comp = torch.compile(eager); t0 = time.perf_counter(); fb(comp)(); out['torch_compile_seconds'] = time.perf_counter() - t0
            out['score_fwd_bwd_ms_torch_compile'] = med(fb(comp))
        except Exception as e: out['torch_compile_error'] = f"{type(e).__name__}: {e}"[:200]
    return out

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--quick', action='store_true'); p.add_argument('--steps', type=int, default=20); p.add_argument('--T', type=int, default=16)
    p.add_argument('--preset'); p.add_argument('--attention'); p.add_argument('--no-micro', action='store_true')
    args = p.parse_args()
    if args.preset:
        return one(args)
    steps = 2 if args.quick else args.steps
    rows = []
    for preset in ('shapes', 'coco'):
        for att in ('soft', 'hard'):
            log(f"{preset} {att} ...")
            r = subprocess.run([sys.executable, __file__, '--preset', preset, '--attention', att, '--steps', str(steps),
                                '--T', str(4 if args.quick else args.T)], capture_output=True, text=True, check=True)
            rows.append(json.loads(r.stdout.strip().splitlines()[-1])); log(rows[-1])
    by = {(r['preset'], r['attention']): r for r in rows}
    emit(dict(benchmark='train_throughput', machine=machine(), runs=rows,
              coco_soft_fraction_of_gemm=by['coco', 'soft']['fraction_of_gemm'],
              coco_hard_fraction_of_gemm=by['coco', 'hard']['fraction_of_gemm'],
              coco_hard_over_soft_cost_per_token=by['coco', 'soft']['tokens_per_s'] / by['coco', 'hard']['tokens_per_s'],
              micro=None if args.no_micro else micro(args.quick),
              targets=dict(coco_soft_fraction_of_gemm='>= 0.60', hard_over_soft='<= 1.3')))

if __name__ == '__main__': main()
