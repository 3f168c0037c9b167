"""Scoring several models' captions of one test split, as a command does (the demo: prior, soft, hard), each call
alone against all of them inside one `java_session`: wall time of both, back to back in one run, and their ratio.

Alone, each `score_captions` starts a JVM for the PTB tokenizer on the references, one on the captions and one for
METEOR (which loads its paraphrase tables: seconds); in a session METEOR's process is started once and the shared
references are tokenized once. The scores must be identical (`identical` in the output).

Captions: the shapes set's references for `--images` images, and `--models` caption sets standing in for models
(a prior's single caption, near misses, other images' captions), so that the tokenizer and METEOR see real text.

    python bench/java_session.py             # 5 models x 100 images
    python bench/java_session.py --quick     # 2 models x 20 images
"""
import argparse, sys, tempfile, time
from collections import Counter
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, emit, log
from sat_repro.data import load_karpathy
from sat_repro.shapes import make_shapes
from sat_repro.metrics import java_available, java_session, score_captions

def model_captions(records, n_models: int) -> tuple:
    "({id: references}, [{id: caption}] * n_models): a prior, near misses and other images' captions."
    refs = {i: [' '.join(c) for c in r.captions] for i, r in enumerate(records)}
    common = Counter(c for v in refs.values() for c in v).most_common(1)[0][0]
    kinds = [lambda i, r: common,                                         # a caption prior: one caption everywhere
             lambda i, r: ' '.join(r.captions[0][:-1]),                   # a near miss: the last word dropped
             lambda i, r: ' '.join(records[i - 1].captions[1]),           # another image's caption
             lambda i, r: ' '.join(r.captions[1]).capitalize() + '.',     # right, written as a sentence
             lambda i, r: ' '.join(r.captions[2][:4])]                    # cut short
    return refs, [{i: kinds[m % len(kinds)](i, r) for i, r in enumerate(records)} for m in range(n_models)]

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--quick', action='store_true')
    p.add_argument('--models', type=int, default=5)
    p.add_argument('--images', type=int, default=100)
    p.add_argument('--java', default='java')
    args = p.parse_args()
    if args.quick: args.models, args.images = 2, 20
    ok, why = java_available(args.java)
    if not ok: log(f"{why}: both runs use the fallback tokenizer and no METEOR, so they should take the same time")
    with tempfile.TemporaryDirectory(prefix='sat_bench_java_') as d:
        records = load_karpathy(make_shapes(Path(d) / 'shapes', n_images=args.images, seed=0)).records
    refs, models = model_captions(records, args.models)

    log(f"{args.models} models x {args.images} images, each scored alone")
    t0 = time.perf_counter()
    alone = [score_captions(refs, hyps, java=args.java) for hyps in models]
    t_alone = time.perf_counter() - t0
    log(f"  {t_alone:.1f} s; now within one java_session")
    t0 = time.perf_counter()
    with java_session(args.java) as s:
        within = [score_captions(refs, hyps, java=args.java) for hyps in models]
    t_session = time.perf_counter() - t0
    log(f"  {t_session:.1f} s")
    emit(dict(bench='java_session', machine=machine(), java=why, models=args.models, images=args.images,
              seconds_alone=round(t_alone, 2), seconds_session=round(t_session, 2),
              ratio_alone_over_session=round(t_alone / t_session, 2),
              jvms_alone=(3 if ok else 0) * args.models, jvms_session=len(s.started),
              identical=alone == within, meteor=[m['METEOR'] for m in within]))

if __name__ == '__main__': main()
