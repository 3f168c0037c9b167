"""Feature cache: images/s when filling it (the small CNN on 64-pixel images; VGG-19 conv5_4, random weights, on
224-pixel images), and the time per epoch it saves by not re-running the encoder for each of an image's captions.
    python bench/feature_cache.py [--images 64] [--quick]
"""
import argparse, sys, tempfile, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, peak_rss_mb, emit, log

class Random(torch.utils.data.Dataset):
    def __init__(self, n, size): self.n, self.size = n, size
    def __len__(self): return self.n
    def __getitem__(self, i): return dict(images=torch.randn(3, self.size, self.size))

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--images', type=int, default=64); p.add_argument('--quick', action='store_true')
    args = p.parse_args()
    from sat_repro.config import preset
    from sat_repro.encoder import make_encoder, build_feature_cache
    torch.manual_seed(0)
    n = 4 if args.quick else args.images
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for name, cfg, size in (('small (shapes)', preset('shapes'), 64), ('vgg19 conv5_4', preset('coco'), 224)):
            enc = make_encoder(cfg).eval()
            t0 = time.perf_counter()
            cache = build_feature_cache(enc, Random(n, size), Path(d) / f'{cfg.encoder}.bin', list(range(n)), cfg.encoder, batch_size=16)
            ips = n / (time.perf_counter() - t0)
            # an epoch visits each image once per caption (5): without the cache the encoder runs 5 times per image
            coco_epoch_h = 5 * 113_287 / ips / 3600
            rows.append(dict(encoder=name, images=n, images_per_s=ips, bytes_per_image=cache.shape[1] * cache.shape[2] * 2,
                             coco_epoch_encoder_hours_saved=coco_epoch_h if cfg.encoder == 'vgg19' else None))
            log(rows[-1])
    emit(dict(benchmark='feature_cache', machine=machine(), runs=rows,
              coco_cache_gb=123_287 * 196 * 512 * 2 / 1e9, peak_rss_mb=peak_rss_mb()))

if __name__ == '__main__': main()
