"""Feature cache: images/s when filling it (the small CNN on 64-pixel images; VGG-19 conv5_4, random weights, on
224-pixel images), and the time per epoch it saves by not re-running the encoder for each of an image's captions;
then the feature map alone at 224 pixels, batch 32 (`features`): VGG-19 conv5_4 beside EfficientNet-Lite0's
stride-16 map (random weights: the speed does not depend on them).
    python bench/feature_cache.py [--images 64] [--quick]
"""
import argparse, statistics, sys, tempfile, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, peak_rss_mb, emit, log, times

class Random(torch.utils.data.Dataset):
    "n random images; their records name files that do not exist (the cache's fingerprint: ids only)."
    def __init__(self, n, size):
        from sat_repro.data import ImageRecord
        self.n, self.size = n, size
        self.records = [ImageRecord(i, Path(f'random_{i}.png'), 'train', []) for i in range(n)]
    def __len__(self): return self.n
    def __getitem__(self, i): return dict(images=torch.randn(3, self.size, self.size))

def features_speed(batch=32, quick=False) -> list:
    "Images/s of the feature map alone (forward only, no cache) at 224 px: VGG-19 conv5_4 and EfficientNet-Lite0."
    from sat_repro.encoder import VGGEncoder
    from sat_repro.efficientnet import EfficientNetLite0, lite0_features, LITE0_D
    b = 2 if quick else batch
    x = torch.randn(b, 3, 224, 224)                                            # [B, 3, 224, 224]
    # (name, feature module, D, timed repeats): VGG-19 takes ~20 s per batch of 32 on one core, so only 2 repeats
    nets = (('vgg19 conv5_4', VGGEncoder().body, 512, 2),
            ('efficientnet-lite0 stride 16', lite0_features(EfficientNetLite0()), LITE0_D, 5))
    rows = []
    for name, net, D, repeats in nets:
        with torch.inference_mode():
            ts = times(lambda: net(x), repeats=1 if quick else repeats, warmup=1)   # net(x): [B, D, 14, 14]
        rows.append(dict(encoder=name, batch=b, image_size=224, L=196, D=D, repeats=len(ts),
                         images_per_s=b / statistics.median(ts), best_images_per_s=b / min(ts),
                         bytes_per_image=196 * D * 2, coco_cache_gb=123_287 * 196 * D * 2 / 1e9))
        log(rows[-1])
    return rows

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--images', type=int, default=64); p.add_argument('--quick', action='store_true')
    args = p.parse_args()
    from sat_repro.config import preset
    from sat_repro.encoder import make_encoder
    from sat_repro.features import build_feature_cache
    torch.manual_seed(0)
    n = 4 if args.quick else args.images
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for name, cfg, size in (('small (shapes)', preset('shapes'), 64), ('vgg19 conv5_4', preset('coco'), 224)):
            enc = make_encoder(cfg).eval()
            t0 = time.perf_counter()
            cache = build_feature_cache(enc, Random(n, size), Path(d) / f'{cfg.encoder}.bin', batch_size=16)
            ips = n / (time.perf_counter() - t0)
            # an epoch visits each image once per caption (5): without the cache the encoder runs 5 times per image
            coco_epoch_h = 5 * 113_287 / ips / 3600
            rows.append(dict(encoder=name, images=n, images_per_s=ips, bytes_per_image=cache.shape[1] * cache.shape[2] * 2,
                             coco_epoch_encoder_hours_saved=coco_epoch_h if cfg.encoder == 'vgg19' else None))
            log(rows[-1])
    feats = features_speed(quick=args.quick)
    emit(dict(benchmark='feature_cache', machine=machine(), runs=rows,
              coco_cache_gb=123_287 * 196 * 512 * 2 / 1e9, features=feats,
              lite0_over_vgg19=feats[1]['images_per_s'] / feats[0]['images_per_s'], peak_rss_mb=peak_rss_mb()))

if __name__ == '__main__': main()
