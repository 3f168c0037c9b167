#!/usr/bin/env python
"""The library's reading rules (STYLE.md): no function over 40 lines, no line over 120 characters, no `;` statement
separator, no module importing one above it in the layering, no module over 350 lines, no function with more than 8
parameters, no module but `runs` (and the owners of other files in REMOVERS) removing files, and none but `runs`
writing a run's own files (RUN_WRITTEN). Module length and parameters have a ratchet: the modules and functions still
over (issue 23) are listed with their present size, may only shrink, and must be taken out once they meet the rule.
Prints each breach; exit 1 if any."""
import ast, io, sys, tokenize
from pathlib import Path

MAX_FN, MAX_LINE, MAX_MODULE, MAX_PARAMS = 40, 120, 350, 8
# still over: module -> its lines, (module, function) -> its parameters; these may only shrink (none since issue 23)
OVER_MODULE = {}
OVER_PARAMS = {}
# lower layers first; a module may import only from its own layer or below (see nbs/index.ipynb)
LAYERS = [['config'],
          ['attention', 'decoder', 'learning', 'search', 'fast'],
          ['data', 'images', 'shapes', 'glyphs', 'pairs'],
          ['metrics', 'figures', 'verdicts'],
          ['efficientnet', 'encoder', 'pretrain', 'features', 'runs', 'inference', 'workers', 'train'],
          ['pipeline', 'experiments', 'explore', 'cli']]

# The run-folder rules live in one module: only `runs` removes files or folders (a command removes only what it wrote,
# decided there: `runs.discard`). Each other module that removes something owns another kind of file, named here.
REMOVERS = {'runs': 'run folders, and what a command wrote (discard)', 'config': "write_atomic's temporary file",
            'shapes': "a built-in set's images, undone by their generator", 'features': 'the feature cache file it made'}
REMOVING = ('rmtree', 'unlink', 'rmdir', 'removedirs')

def _removals(path: Path, tree) -> list:
    "Calls that remove files or folders in a module that does not own them (see REMOVERS)."
    if path.stem in REMOVERS: return []
    return [f"{path}:{n.lineno}: {path.stem} removes files ({n.func.attr}); only runs does that (runs.discard)"
            for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr in REMOVING or isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr == 'remove' and getattr(n.func.value, 'id', '') == 'os']

# ... and only `runs` writes a run's own files (its `write_run_files` and `Run`): no other module calls a writer with
# one of these names (or metrics_<split>.json) in its arguments. The feature stage's files (encoder.pt, features.bin,
# encoder_words.csv) are written by `features` and `pipeline` into set folders as well as runs, and are not listed.
RUN_WRITTEN = ('run.json', 'config.json', 'vocab.json', 'log.csv', 'best.pt', 'last.pt', 'curves.png', 'MODEL_CARD.md')
WRITERS = ('write_atomic', 'save_checkpoint', 'save_config', 'open', 'write_text', 'write_bytes', 'savefig', 'save',
           'touch')

def _run_writes(path: Path, tree) -> list:
    "Calls outside `runs` that write a file named in RUN_WRITTEN (or metrics_*)."
    if path.stem == 'runs': return []
    out = []
    for n in ast.walk(tree):
        if not isinstance(n, ast.Call): continue
        name = n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, 'id', '')
        if name not in WRITERS: continue
        parts = n.args + [k.value for k in n.keywords] + ([n.func.value] if isinstance(n.func, ast.Attribute) else [])
        names = {c.value for a in parts for c in ast.walk(a) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
        hit = sorted(x for x in names if x in RUN_WRITTEN or x.startswith('metrics_'))
        if hit: out.append(f"{path}:{n.lineno}: {path.stem} writes a run's {hit[0]} ({name}); only runs does that (Run)")
    return out

def _layer(mod):
    for k, names in enumerate(LAYERS):
        if mod in names: return k
    return None

def _semicolons(src):
    toks = tokenize.generate_tokens(io.StringIO(src).readline)
    return [t.start[0] for t in toks if t.type == tokenize.OP and t.string == ';']

def check(path: Path) -> list:
    src, out = path.read_text(), []
    tree = ast.parse(src)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > MAX_FN:
            out.append(f"{path}:{node.lineno}: function {node.name} has {node.end_lineno - node.lineno + 1} lines")
        if isinstance(node, ast.ImportFrom) and node.module and (node.level or node.module.startswith('sat_repro.')):
            dep_name = node.module.split('.')[-1] if node.level else node.module.split('.')[1]
            me, dep = _layer(path.stem), _layer(dep_name)
            if me is not None and dep is not None and dep > me:
                out.append(f"{path}:{node.lineno}: {path.stem} imports {node.module}, a layer above it")
    out += _sizes(path, src, tree) + _removals(path, tree) + _run_writes(path, tree)
    generated = {n for node in tree.body if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', '') == '__all__'
                 for n in range(node.lineno, node.end_lineno + 1)}       # nbdev writes __all__ (up to 130 columns)
    for n, line in enumerate(src.splitlines(), 1):
        if len(line) > MAX_LINE and n not in generated: out.append(f"{path}:{n}: line of {len(line)} characters")
    out += [f"{path}:{n}: ';' statement separator" for n in _semicolons(src)]
    return out

def _ratchet(what: str, key, size: int, limit: int, over: dict) -> list:
    "A breach when `size` is over `limit` and not a listed exception, or over its listed size; or a listed one now met."
    if key in over and size <= limit: return [f"{what}: now {size}, within {limit}: take it out of the list"]
    if size > over.get(key, limit): return [f"{what}: {size}, over {over.get(key, limit)}"]
    return []

def _sizes(path: Path, src: str, tree) -> list:
    "Module length and parameter counts against their limits (`OVER_*`: the ones still over may only shrink)."
    out = _ratchet(f"{path}: module lines", path.stem, len(src.splitlines()), MAX_MODULE, OVER_MODULE)
    fns = [(n.name, n) for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    fns += [(f'{c.name}.{n.name}', n) for c in tree.body if isinstance(c, ast.ClassDef)
            for n in c.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for name, node in fns:
        a = node.args
        n = len(a.posonlyargs) + len(a.args) + len(a.kwonlyargs)
        out += _ratchet(f"{path}:{node.lineno}: {name} parameters", (path.stem, name), n, MAX_PARAMS, OVER_PARAMS)
    return out

if __name__ == '__main__':
    files = sorted(p for p in Path(sys.argv[1] if len(sys.argv) > 1 else 'sat_repro').glob('*.py')
                   if not p.name.startswith('_'))
    problems = [p for f in files for p in check(f)]
    print('\n'.join(problems) or f"style: {len(files)} modules, no breach")
    sys.exit(1 if problems else 0)
