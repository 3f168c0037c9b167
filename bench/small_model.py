"""The embedded default's training step (small matrices: L=64, D=128, n=256, batch 32): one process using both cores
against two one-thread processes side by side, the way `sat-repro experiments` runs its table. Prints tokens/s in
total and as a fraction of the dense-GEMM FLOP/s measured alongside on both cores (the FLOP count of
train_throughput.py).

Why: at these sizes a training step is dozens of small kernels per time step, and a second thread inside each kernel
buys little (the step is short, the threads synchronise at every op); two runs that each own a core keep both busy.

    python bench/small_model.py             # 60 timed steps per configuration
    python bench/small_model.py --quick     # a few seconds
"""
import argparse, json, statistics, subprocess, sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, gemm_flops, emit, log
from train_throughput import flops_per_step

def child(args):
    "One process: `args.threads` threads, `args.steps` timed steps; prints tokens/s."
    torch.set_num_threads(args.threads)
    from sat_repro.config import preset
    from sat_repro.decoder import Decoder
    from sat_repro.learning import compute_loss, Baseline
    from sat_repro.train import make_optimizer
    torch.manual_seed(0)
    cfg = preset('shapes', attention=args.attention, batch_size=args.batch)
    K, B, T = 30, cfg.batch_size, args.T
    dec, base = Decoder(cfg, K), Baseline()
    opt = make_optimizer(dec.parameters(), cfg)
    a, y, lengths = torch.randn(B, cfg.L, cfg.D), torch.randint(4, K, (B, T)), torch.full((B,), T)
    def step():
        loss, _ = compute_loss(dec, a, y, lengths, cfg, base)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    for _ in range(3): step()
    t0 = time.perf_counter()
    for _ in range(args.steps): step()
    dt = (time.perf_counter() - t0) / args.steps
    emit(dict(threads=args.threads, sec_per_step=dt, tokens_per_s=B * T / dt, flops_per_step=flops_per_step(cfg, K, B, T)))

def spawn(args, threads: int, n: int) -> list:
    "n child processes of `threads` threads each, started together; their results."
    cmd = [sys.executable, __file__, '--child', '--threads', str(threads), '--steps', str(args.steps), '--T', str(args.T),
           '--batch', str(args.batch), '--attention', args.attention]
    ps = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(n)]
    return [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in ps]

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--quick', action='store_true')
    p.add_argument('--child', action='store_true')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--steps', type=int, default=60)
    p.add_argument('--T', type=int, default=16)
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--attention', default='soft')
    args = p.parse_args()
    if args.child: return child(args)
    if args.quick: args.steps = 3
    gemm = [gemm_flops()]
    one = spawn(args, 2, 1)[0]
    gemm.append(gemm_flops())
    two = spawn(args, 1, 2)
    gemm.append(gemm_flops())
    g, f = statistics.median(gemm), one['flops_per_step']
    agg = sum(r['tokens_per_s'] for r in two)
    emit(dict(benchmark='small_model', machine=machine(), attention=args.attention, batch=args.batch, T=args.T,
              steps=args.steps, gemm_gflops=g / 1e9,
              one_process_two_threads=dict(tokens_per_s=one['tokens_per_s'],
                                           fraction_of_gemm=f / one['sec_per_step'] / g),
              two_processes_one_thread=dict(tokens_per_s=agg, per_process=[r['tokens_per_s'] for r in two],
                                            fraction_of_gemm=sum(f / r['sec_per_step'] for r in two) / g),
              speedup=agg / one['tokens_per_s']))

if __name__ == '__main__': main()
