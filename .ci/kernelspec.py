"""Give every notebook a kernelspec, so JupyterLab (and `jupyter nbconvert --execute`) start the Python 3 kernel
without asking which one.

    python .ci/kernelspec.py            set it where it is missing or different (idempotent), print what changed
    python .ci/kernelspec.py --check    exit 1, naming the notebooks, if any lacks it; change nothing
    python .ci/kernelspec.py NB...      the same on the named notebooks instead of nbs/*.ipynb

Jupyter picks the kernel by `name` ("python3", what ipykernel installs). `nbdev-clean` keeps `kernelspec` in the
notebook metadata but overwrites `display_name` with `name`, so "python3" is the display name that survives it
(a "Python 3 (ipykernel)" written here would be rewritten by the next `nbdev-clean`, and CI would fail).
The file is written as nbdev writes notebooks (sorted keys, indent 1, UTF-8, final newline).
"""
import json, sys
from pathlib import Path

KERNELSPEC = {"display_name": "python3", "language": "python", "name": "python3"}

def notebooks(args: list) -> list:
    "The notebooks named in `args`, or every `nbs/*.ipynb` beside this script's repository."
    if args: return [Path(a) for a in args]
    return sorted((Path(__file__).resolve().parent.parent / 'nbs').glob('*.ipynb'))

def has_kernelspec(nb: dict) -> bool:
    "Does the notebook's metadata carry exactly `KERNELSPEC`?"
    return nb.get('metadata', {}).get('kernelspec') == KERNELSPEC

def set_kernelspec(path: Path) -> bool:
    "Write `KERNELSPEC` into the notebook at `path`; return whether the file changed."
    try: nb = json.loads(path.read_text(encoding='utf-8'))
    except (OSError, json.JSONDecodeError) as e: raise SystemExit(f"{path}: cannot read notebook: {e}")
    if has_kernelspec(nb): return False
    nb.setdefault('metadata', {})['kernelspec'] = dict(KERNELSPEC)
    path.write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + '\n', encoding='utf-8')
    return True

def main(argv: list) -> int:
    "Set (or with --check, verify) the kernelspec of the notebooks; the exit code is 1 if a check fails."
    check = '--check' in argv
    paths = notebooks([a for a in argv if a != '--check'])
    if not paths: raise SystemExit("no notebooks found")
    if check:
        bad = [str(p) for p in paths if not has_kernelspec(json.loads(p.read_text(encoding='utf-8')))]
        for p in bad: print(f"{p}: no python3 kernelspec in the notebook metadata; run: python .ci/kernelspec.py")
        print(f"kernelspec: {len(paths) - len(bad)} of {len(paths)} notebooks have it")
        return 1 if bad else 0
    changed = [p for p in paths if set_kernelspec(p)]
    for p in changed: print(f"set kernelspec in {p}")
    print(f"kernelspec: {len(changed)} changed, {len(paths) - len(changed)} already had it")
    return 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
