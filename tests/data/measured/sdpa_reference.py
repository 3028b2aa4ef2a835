# The model's attention beside PyTorch's scaled-dot-product attention (cuDNN and FlashAttention-2
# backends) on the shapes of traces/check/attention.yaml, timed like `orinsim check`: CUDA events,
# 100 MiB written before each run, median of 20 after 5 warm-ups. Figures: docs/check.md.
#   python3 tests/data/measured/sdpa_reference.py
import torch, torch.nn.functional as F
from torch.nn.attention import sdpa_kernel, SDPBackend
shapes = [(1,32,32,512,512,128,True,torch.float16),(1,32,32,2048,2048,128,True,torch.float16),
          (1,32,32,4096,4096,128,True,torch.float16),(1,32,32,1,4096,128,True,torch.float16),
          (8,32,32,1,4096,128,True,torch.float16),(1,32,8,2048,2048,128,True,torch.bfloat16),
          (1,32,8,1,8192,128,True,torch.bfloat16),(8,12,12,1024,1024,64,False,torch.float16)]
flush = torch.empty(100*2**20, dtype=torch.uint8, device='cuda')
for b,h,kvh,sq,skv,d,causal,dt in shapes:
    q = torch.randn(b,h,sq,d,dtype=dt,device='cuda'); k = torch.randn(b,kvh,skv,d,dtype=dt,device='cuda'); v = torch.randn_like(k)
    c = causal and sq > 1
    for be in (SDPBackend.FLASH_ATTENTION, SDPBackend.CUDNN_ATTENTION, SDPBackend.EFFICIENT_ATTENTION):
        try:
            with sdpa_kernel(be):
                ts = []
                for i in range(25):
                    flush.add_(1)
                    s = torch.cuda.Event(enable_timing=True); e = torch.cuda.Event(enable_timing=True)
                    s.record(); F.scaled_dot_product_attention(q,k,v,is_causal=c,enable_gqa=(kvh!=h)); e.record(); torch.cuda.synchronize()
                    if i >= 5: ts.append(s.elapsed_time(e)*1000)
                ts.sort(); print(f"b{b} h{h} kv{kvh} sq{sq} skv{skv} d{d} causal{causal} {dt} {be.name}: {ts[10]:.1f} us")
        except Exception as ex:
            print(f"b{b} h{h} sq{sq} skv{skv} {be.name}: failed {str(ex)[:80]}")
