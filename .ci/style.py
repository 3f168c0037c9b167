#!/usr/bin/env python
"""The library's reading rules (STYLE.md): no function over 40 lines, no line over 120 characters, no `;` statement
separator, no module importing one above it in the layering. Prints each breach; exit 1 if any."""
import ast, io, sys, tokenize
from pathlib import Path

MAX_FN, MAX_LINE = 40, 120
# lower layers first; a module may import only from its own layer or below (see nbs/index.ipynb)
LAYERS = [['config'], ['attention', 'decoder', 'learning', 'search', 'fast'], ['data', 'shapes', 'glyphs', 'pairs'],
          ['metrics', 'figures'], ['efficientnet', 'encoder', 'runs', 'train'], ['pipeline', 'experiments', 'explore', 'cli']]

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
    generated = {n for node in tree.body if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', '') == '__all__'
                 for n in range(node.lineno, node.end_lineno + 1)}       # nbdev writes __all__ (up to 130 columns)
    for n, line in enumerate(src.splitlines(), 1):
        if len(line) > MAX_LINE and n not in generated: out.append(f"{path}:{n}: line of {len(line)} characters")
    out += [f"{path}:{n}: ';' statement separator" for n in _semicolons(src)]
    return out

if __name__ == '__main__':
    files = sorted(p for p in Path(sys.argv[1] if len(sys.argv) > 1 else 'sat_repro').glob('*.py')
                   if not p.name.startswith('_'))
    problems = [p for f in files for p in check(f)]
    print('\n'.join(problems) or f"style: {len(files)} modules, no breach")
    sys.exit(1 if problems else 0)
