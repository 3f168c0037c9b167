"""The one command at the sizes users bring: each built-in set cut to a few hundred images and more, against its
caption prior (issue: a user's own dataset gave an image-blind model, silently).

    python bench/small_data.py                                   # shapes, glyphs, pairs at 500, 1000 and 3000 images
    python bench/small_data.py --sets shapes --sizes 500 --out /tmp/sd

For every (set, size): the set is written (seed 0), then exactly what the README tells a user to run:
`sat-repro train --data DATA --attention soft --out RUN` (nothing else given: sizes, encoder pretraining and the
caption prior all chosen by the tool) and `sat-repro evaluate --run RUN`. Two of these run side by side, one thread
each. Prints one JSON object per line and, at the end, the markdown table that the README quotes.
"""
import argparse, csv, json, os, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ENV = {**os.environ, 'OMP_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1'}


def cli(*args, log_to=None) -> subprocess.CompletedProcess:
    "`python -m sat_repro.cli *args`, one thread; its stderr appended to `log_to`."
    r = subprocess.run([sys.executable, '-m', 'sat_repro.cli', *map(str, args)], env=ENV, capture_output=True,
                       text=True)
    if log_to: Path(log_to).open('a').write(r.stderr)
    if r.returncode: raise RuntimeError(f"sat-repro {' '.join(map(str, args))}: exit {r.returncode}: {r.stderr[-500:]}")
    return r


def object_words(run: Path, layout=('left', 'right', 'above', 'below', 'of', 'the', 'a', 'is', 'and')) -> tuple:
    "(mean validation AP, mean chance) of the pretrained encoder over the words that are not layout words."
    p = run / 'encoder_words.csv'
    if not p.is_file(): return None, None
    rows = [r for r in csv.DictReader(p.open()) if r['word'] not in layout]
    if not rows: return None, None
    return (sum(float(r['ap']) for r in rows) / len(rows), sum(float(r['chance']) for r in rows) / len(rows))


def one(out: Path, name: str, n: int, java: bool) -> dict:
    "Write the set, run the one command and evaluate; the row of the table."
    d, t0 = out / f'{name}_{n}', time.time()
    log = d / 'log.txt'
    if not (d / 'data' / f'dataset_{name}.json').is_file():
        cli(name, '--out', d / 'data', '--n-images', n)
    run = d / 'run'
    if not (run / 'metrics_test.json').is_file():
        if not (run / 'last.pt').is_file():
            cli('train', '--data', d / 'data' / f'dataset_{name}.json', '--attention', 'soft', '--out', run,
                '--no-progress', log_to=log)
        cli('evaluate', '--run', run, log_to=log)
    m = json.loads((run / 'metrics_test.json').read_text())
    p, loc = m.get('caption_prior') or {}, m.get('localisation') or {}
    ap, chance = object_words(run)
    text = log.read_text() if log.is_file() else ''
    return dict(set=name, images=n, bleu4=m['BLEU-4'], prior_bleu4=p.get('BLEU-4'), cider=m['CIDEr'],
                prior_cider=p.get('CIDEr'), distinct=m['distinct_captions'], mass=loc.get('mass'),
                uniform_mass=loc.get('uniform_mass'), object_word_ap=ap, object_word_chance=chance,
                pretraining_warning='does not tell' in text,
                image_blind=m.get('image_blind'), seconds=round(time.time() - t0))


def table(rows: list) -> str:
    f = lambda x: 'n/a' if x is None else f"{x:.1f}"
    lines = ['| set | images | BLEU-4 (prior) | CIDEr (prior) | distinct % | mass on named object % (uniform) | '
             'object words: AP (chance) | says |', '|---|---|---|---|---|---|---|---|']
    for r in rows:
        says = '; '.join(w for w, on in (('warned at pretraining', r['pretraining_warning']),
                                          ('image-blind', r['image_blind'])) if on)
        ap = 'n/a' if r['object_word_ap'] is None else f"{r['object_word_ap']:.2f} ({r['object_word_chance']:.2f})"
        lines.append(f"| {r['set']} | {r['images']} | {f(r['bleu4'])} ({f(r['prior_bleu4'])}) | {f(r['cider'])} "
                     f"({f(r['prior_cider'])}) | {f(r['distinct'])} | {f(r['mass'])} ({f(r['uniform_mass'])}) | {ap} | "
                     f"{says} |")
    return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--sets', default='shapes,glyphs,pairs')
    ap.add_argument('--sizes', default='500,1000,3000')
    ap.add_argument('--out', default='small_data')
    ap.add_argument('--workers', type=int, default=2)
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(s, int(n)) for n in args.sizes.split(',') for s in args.sets.split(',')]
    with ThreadPoolExecutor(args.workers) as ex:
        rows = list(ex.map(lambda j: one(out, *j, java=True), jobs))
    for r in rows: print(json.dumps(r))
    (out / 'rows.json').write_text(json.dumps(rows, indent=1))
    md = table(rows)
    (out / 'table.md').write_text(md + '\n')
    print(md)


if __name__ == '__main__':
    main()
