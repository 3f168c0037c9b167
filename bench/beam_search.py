"""Beam search speed: captions/s at k = 1, 3, 5 for a batch of images, batched (all images and beams in one decoder
call per step) against one image at a time. A COCO-size decoder (L=196, D=512, m=512, n=1800, K=10,004) with random
weights and random annotation vectors: speed does not depend on what the weights are.
    python bench/beam_search.py [--images 100] [--quick]
"""
import argparse, sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, peak_rss_mb, emit, log

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--images', type=int, default=100); p.add_argument('--single', type=int, default=10,
                   help='images decoded one at a time (their rate is the one-at-a-time speed)')
    p.add_argument('--max-len', type=int, default=16); p.add_argument('--quick', action='store_true')
    args = p.parse_args()
    from sat_repro.config import preset
    from sat_repro.decoder import Decoder
    from sat_repro.search import beam_search, greedy
    torch.manual_seed(0)
    cfg = preset('coco', dropout=0.)
    n_img, n_single, max_len = (8, 2, 4) if args.quick else (args.images, args.single, args.max_len)
    dec = Decoder(cfg, 10_004).eval()
    a = torch.randn(n_img, cfg.L, cfg.D)
    rows = []
    for k in (1, 3, 5):
        # a fixed length (EOS never wins: its bias pushed down) so that both ways do the same work
        with torch.no_grad(): dec.L_o.bias[2] = -1e4
        t0 = time.perf_counter(); beam_search(dec, a, k=k, max_len=max_len); tb = time.perf_counter() - t0
        t0 = time.perf_counter()
        for i in range(n_single): beam_search(dec, a[i:i + 1], k=k, max_len=max_len)
        ts = (time.perf_counter() - t0) / n_single
        rows.append(dict(k=k, batched_captions_per_s=n_img / tb, single_captions_per_s=1 / ts, speedup=(n_img / tb) * ts))
        log(rows[-1])
    emit(dict(benchmark='beam_search', machine=machine(), images=n_img, single_images=n_single, max_len=max_len, runs=rows,
              speedup_k3=rows[1]['speedup'], target='speedup at k=3 >= 20', peak_rss_mb=peak_rss_mb()))

if __name__ == '__main__': main()
