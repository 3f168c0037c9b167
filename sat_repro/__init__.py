__version__ = "0.1.0"

# The three-line API: `import sat_repro; caps = sat_repro.caption(run, images); caps[0].text` (and
# `sat_repro.explore(run, images)` to see where it looks). Imported lazily so that
# `import sat_repro` (and `sat-repro --help`) does not load torch.
_API = {'caption': 'sat_repro.inference', 'Caption': 'sat_repro.inference', 'train_dataset': 'sat_repro.pipeline',
        'load_run': 'sat_repro.runs', 'evaluate': 'sat_repro.train', 'train': 'sat_repro.train',
        'Config': 'sat_repro.config', 'preset': 'sat_repro.config', 'explore': 'sat_repro.explore'}

def __getattr__(name):
    if name in _API:
        import importlib
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'sat_repro' has no attribute {name!r}")

def __dir__(): return sorted(list(globals()) + list(_API))
