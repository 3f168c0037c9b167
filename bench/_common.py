"Shared helpers for the benchmark scripts: machine facts, peak memory, timing, dense-GEMM and memory-bandwidth references."
import json, os, platform, resource, statistics, sys, time
import torch

def machine() -> dict:
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor()) \
        if os.path.exists('/proc/cpuinfo') else platform.processor()
    return dict(torch=torch.__version__, threads=torch.get_num_threads(), cpu=cpu, cores=os.cpu_count())

def peak_rss_mb() -> float:
    "Peak resident memory of this process so far, MB (Linux ru_maxrss is in KB)."
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def times(fn, repeats=5, warmup=1) -> list:
    "Wall times of fn() over `repeats` calls, after warm-up."
    for _ in range(warmup): fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    return ts

def timeit(fn, repeats=3, warmup=1) -> float:
    "Median wall time of fn() over repeats, after warm-up."
    return statistics.median(times(fn, repeats, warmup))

def gemm_flops(m=2048, k=2048, n=2048, repeats=5) -> float:
    "Dense float32 GEMM FLOP/s measured now on this machine (median of `repeats`)."
    a, b = torch.randn(m, k), torch.randn(k, n)
    return 2 * m * k * n / timeit(lambda: torch.mm(a, b), repeats)

def stream_bytes_per_s(mb=512, repeats=5) -> float:
    "Memory bandwidth now: bytes/s of reading a tensor far larger than the caches (a sum over it)."
    x = torch.ones(mb * 2 ** 20 // 4)
    return x.numel() * 4 / timeit(lambda: x.sum(), repeats)

def emit(d: dict):
    print(json.dumps(d)); sys.stdout.flush()

def log(*a): print(*a, file=sys.stderr)
