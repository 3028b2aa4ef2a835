# The fused activation epilogue on a GPU, measured: one Triton GEMM kernel (fixed 128 x 64 x 64
# tiles, 4 warps, 3 stages), with no activation, ReLU, SiLU (x * sigmoid(x): exp2 + reciprocal on
# the special-function units) and GELU (tanh form, as exp2 + reciprocal), on shapes of 1x1 and 3x3
# convolutions written as GEMMs. Run on a GPU with PyTorch and Triton:
#   python3 tests/data/measured/triton_epilogue.py
# Output of one H100 run: nvidia-h100-80gb-hbm3-epilogue.txt; docs/model.md ("Fused activations").
# CUDA events, 100 MiB written between runs (cold L2), median of 20 after 5 warm-ups.
import torch, triton, triton.language as tl

@triton.jit
def mm(a_ptr, b_ptr, c_ptr, M, N, K, sam, sak, sbk, sbn, scm, scn,
       ACT: tl.constexpr, BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr):
    pid_m = tl.program_id(0); pid_n = tl.program_id(1)
    rm = pid_m * BM + tl.arange(0, BM); rn = pid_n * BN + tl.arange(0, BN); rk = tl.arange(0, BK)
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k in range(0, K, BK):
        a = tl.load(a_ptr + rm[:, None] * sam + (k + rk)[None, :] * sak, mask=(rm[:, None] < M) & ((k + rk)[None, :] < K), other=0.)
        b = tl.load(b_ptr + (k + rk)[:, None] * sbk + rn[None, :] * sbn, mask=((k + rk)[:, None] < K) & (rn[None, :] < N), other=0.)
        acc += tl.dot(a, b)
    if ACT == 1:
        acc = tl.maximum(acc, 0.)
    elif ACT == 2:
        acc = acc * tl.sigmoid(acc)
    elif ACT == 3:
        t = 0.7978845608 * (acc + 0.044715 * acc * acc * acc)
        e = tl.exp(2. * t)
        acc = 0.5 * acc * (2. - 2. / (e + 1.))      # 1 + tanh(t), finite for large t
    tl.store(c_ptr + rm[:, None] * scm + rn[None, :] * scn, acc.to(tl.float16), mask=(rm[:, None] < M) & (rn[None, :] < N))

flush = torch.empty(100 * 2**20, dtype=torch.uint8, device='cuda')
def timeit(f):
    ts = []
    for i in range(25):
        flush.add_(1)
        s = torch.cuda.Event(enable_timing=True); e = torch.cuda.Event(enable_timing=True)
        s.record(); f(); e.record(); torch.cuda.synchronize()
        if i >= 5: ts.append(s.elapsed_time(e) * 1000)
    ts.sort(); return ts[10]

shapes = [(409600, 64, 64), (409600, 64, 576), (102400, 128, 1152), (409600, 32, 288), (25600, 256, 2304), (4096, 4096, 4096)]
for rnd, (M, N, K) in [(r, x) for r in (1, 2) for x in shapes]:
    a = torch.randn(M, K, dtype=torch.float16, device='cuda'); b = torch.randn(K, N, dtype=torch.float16, device='cuda')
    c = torch.empty(M, N, dtype=torch.float16, device='cuda')
    BM, BN, BK = 128, min(128, N), 64
    grid = (triton.cdiv(M, BM), triton.cdiv(N, BN))
    res = []
    for act in range(4):
        f = lambda: mm[grid](a, b, c, M, N, K, a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1), ACT=act, BM=BM, BN=BN, BK=BK, num_warps=4, num_stages=3)
        kern = f(); torch.cuda.synchronize()
        res.append(timeit(f))
        if rnd == 1 and (M, N, K) == shapes[0]:
            try:
                sass = kern.asm['sass']
                print(f"act {act}: MUFU instructions in SASS: {sass.count('MUFU')} ({', '.join(sorted(set(l.split()[0] for l in [x.split('MUFU')[1] for x in sass.splitlines() if 'MUFU' in x])))}), tile {BM}x{BN}")
            except Exception as ex:
                print('sass:', str(ex)[:100])
    ref = torch.nn.functional.gelu((a.float() @ b.float()), approximate='tanh')
    err = (c.float() - ref).abs().max().item() / ref.abs().max().item()
    print(f"round {rnd}: M {M} N {N} K {K}: none {res[0]:.2f} us  relu {res[1]:.2f}  silu {res[2]:.2f}  gelu {res[3]:.2f}  (gelu max error {err:.1e} of the largest output)")
