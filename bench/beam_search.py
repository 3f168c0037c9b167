"""Beam search speed: captions/s at k = 1, 3, 5 for a batch of images, batched (all images and beams in one decoder
call per step) against one image at a time. A COCO-size decoder (L=196, D=512, m=512, n=1800, K=10,004) with random
weights and random annotation vectors: speed does not depend on what the weights are.

`roofline` bounds the ratio on this machine: one image at a time, a step must at least read every decoder weight
(bytes / memory bandwidth); batched, an image's k rows must at least do their arithmetic (FLOPs / GEMM FLOP/s).
Their quotient is what batching could gain if both ran at the machine's limits; the measured speed-up can exceed
it only by as much as the one-image path falls short of reading at full bandwidth (`single_weight_read_gb_per_s`).
    python bench/beam_search.py [--images 100] [--quick]
"""
import argparse, statistics, sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, peak_rss_mb, emit, log, gemm_flops, stream_bytes_per_s

def step_cost(cfg, K):
    "(bytes of decoder weights read per step, FLOPs per decoder row per step)."
    L, D, m, n, A = cfg.L, cfg.D, cfg.m, cfg.n, cfg.att_hidden
    weights = (n + D) * 4 * n + m * 4 * n + n * A + n + n * m + D * m + m * K
    flops = 2 * (weights + L * A + L * D)            # every weight once per row, plus w^T s and the context
    return 4 * weights, flops

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--images', type=int, default=100); p.add_argument('--single', type=int, default=10,
                   help='images decoded one at a time (their rate is the one-at-a-time speed)')
    p.add_argument('--max-len', type=int, default=16); p.add_argument('--quick', action='store_true')
    args = p.parse_args()
    from sat_repro.config import preset
    from sat_repro.decoder import Decoder
    from sat_repro.search import beam_search
    torch.manual_seed(0)
    cfg = preset('coco', dropout=0.)
    n_img, n_single, max_len = (8, 2, 4) if args.quick else (args.images, args.single, args.max_len)
    dec = Decoder(cfg, 10_004).eval()
    with torch.no_grad(): dec.L_o.bias[2] = -1e4          # EOS never wins: a fixed length, so both ways do the same work
    a = torch.randn(n_img, cfg.L, cfg.D)
    beam_search(dec, a[:2], k=3, max_len=2)                # warm-up
    wbytes, row_flops = step_cost(cfg, 10_004)
    gemm, bw = gemm_flops(), stream_bytes_per_s()
    rows = []
    for k in (1, 3, 5):
        t0 = time.perf_counter(); beam_search(dec, a, k=k, max_len=max_len); tb = time.perf_counter() - t0
        ts = []
        for i in range(n_single):
            t0 = time.perf_counter(); beam_search(dec, a[i:i + 1], k=k, max_len=max_len); ts.append(time.perf_counter() - t0)
        ts = statistics.median(ts)
        bound = (wbytes / bw) / (k * row_flops / gemm)
        rows.append(dict(k=k, batched_captions_per_s=n_img / tb, single_captions_per_s=1 / ts, speedup=(n_img / tb) * ts,
                         roofline_speedup_bound=bound, single_weight_read_gb_per_s=wbytes * max_len / ts / 1e9,
                         batched_fraction_of_gemm=k * row_flops * max_len * n_img / tb / gemm))
        log(rows[-1])
    emit(dict(benchmark='beam_search', machine=machine(), images=n_img, single_images=n_single, max_len=max_len, runs=rows,
              speedup_k3=rows[1]['speedup'], roofline=dict(weight_bytes_per_step=wbytes, flops_per_row_step=row_flops,
              gemm_gflops=gemm / 1e9, memory_gb_per_s=bw / 1e9),
              target='speedup at k=3 >= 20', peak_rss_mb=peak_rss_mb()))

if __name__ == '__main__': main()
