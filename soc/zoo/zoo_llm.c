/*
 * zoo_llm: the transformers of the zoo: BERT, ViT and the Llama family.
 *
 * Transformers are written with the GPU ops of the trace format: a `gemm` per linear
 * layer (M = tokens, N = output features, K = input features; the weight is the B
 * operand), an `attention` op per multi-head attention (QK^T, softmax, x V), and
 * `elementwise` ops for embeddings, normalisation, activations and residual adds.
 * Following TensorRT / the LLM runtimes, the Q, K and V projections are one gemm, a
 * residual add and the layer norm after it are one elementwise op (BERT's skip-layernorm),
 * the feed-forward GELU is fused into the gemm before it (`activation: gelu`), and
 * Llama's gate and up projections are one gemm followed by one SiLU-and-multiply.
 *
 * Elementwise costs (flops_per_element) are estimates: a layer norm ~8 (mean, variance,
 * scale, shift), an RMS norm ~4, rotary embedding ~6, SiLU x up ~6.
 *
 * Architectures come from the published configs (config.json on the model hub for each
 * Llama; the BERT and ViT papers); the parameter counts they give are checked by
 * tests/test_zoo.c.
 */
#include <assert.h>

#include "soc/zoo/zoo_int.h"

/* ---------------------------------------------------------------- BERT */

/* BERT (uncased vocabulary 30522, 512 positions, 2 token types), as MLPerf runs it for
 * SQuAD: embeddings, L encoder layers, and the span head (a linear layer to start / end
 * logits). The pooler of the pre-training checkpoint is not used for SQuAD and is left
 * out (590,592 parameters for BERT-base). */
int zoo_build_bert(zoo_net_t *net, const zoo_resolved_t *r, int variant)
{
    int64_t hidden = variant ? 1024 : 768, layers = variant ? 24 : 12, heads = hidden / 64;
    int64_t t = r->batch * r->seq, ffn = 4 * hidden;
    const char *l = variant ? "encoder.layer.0-23" : "encoder.layer.0-11";

    zb_stage(net, "bert", ZOO_ROLE_MAIN, -1);
    zb_elementwise(net, t * hidden, 3, 8, (30522.0 + 512 + 2) * hidden + 2.0 * hidden,
                   "embeddings");
    zb_repeat(net, layers, "%s", l);
    zb_gemm(net, r, t, 3 * hidden, hidden, 1, 1, "%s.attention.qkv", l);
    zb_attention(net, r->batch, heads, heads, r->seq, r->seq, 64, 0, "%s.attention", l);
    zb_gemm(net, r, t, hidden, hidden, 1, 1, "%s.attention.output.dense", l);
    zb_elementwise(net, t * hidden, 2, 8, 2.0 * hidden, "%s.attention.output.add_layernorm", l);
    zb_gemm(net, r, t, ffn, hidden, 1, 1, "%s.intermediate.dense", l)->act = ZOO_ACT_GELU;
    zb_gemm(net, r, t, hidden, ffn, 1, 1, "%s.output.dense", l);
    zb_elementwise(net, t * hidden, 2, 8, 2.0 * hidden, "%s.output.add_layernorm", l);
    zb_end(net);
    zb_gemm(net, r, t, 2, hidden, 1, 1, "qa_outputs");
    zb_note(net, "Hidden %d, %d layers, %d heads of 64, feed-forward %d; sequence %d tokens.",
            (int)hidden, (int)layers, (int)heads, (int)ffn, (int)r->seq);
    zb_note(net, "Fused as TensorRT does: Q, K, V in one gemm; GELU in the feed-forward gemm; "
                 "residual add + layer norm in one op.");
    return 0;
}

/* ---------------------------------------------------------------- ViT-B/16 */

/* ViT-B/16 at 224x224: a 16x16 stride-16 patch conv (196 patches), the class token and
 * position embeddings (197 tokens), 12 pre-norm layers (hidden 768, 12 heads of 64, MLP
 * 3072, GELU), the final norm and the 1000-class head on the class token. */
int zoo_build_vit(zoo_net_t *net, const zoo_resolved_t *r, int variant)
{
    int64_t hidden = 768, tokens = 197, t = r->batch * tokens;
    zt_t x = {r->batch, 3, 224, 224};
    const char *l = "blocks.0-11";
    (void)variant;

    zb_stage(net, "vit", ZOO_ROLE_MAIN, -1);
    x = zb_convp(net, x, hidden, 16, 16, 0, 1, ZOO_ACT_NONE, "patch_embed.proj");
    assert(x.h * x.w + 1 == tokens);
    zb_elementwise(net, t * hidden, 2, 1, hidden + (double)tokens * hidden, "cls_token.pos_embed");
    zb_repeat(net, 12, "%s", l);
    zb_elementwise(net, t * hidden, 1, 8, 2.0 * hidden, "%s.norm1", l);
    zb_gemm(net, r, t, 3 * hidden, hidden, 1, 1, "%s.attn.qkv", l);
    zb_attention(net, r->batch, 12, 12, tokens, tokens, 64, 0, "%s.attn", l);
    zb_gemm(net, r, t, hidden, hidden, 1, 1, "%s.attn.proj", l);
    zb_elementwise(net, t * hidden, 2, 1, 0, "%s.add_attn", l);
    zb_elementwise(net, t * hidden, 1, 8, 2.0 * hidden, "%s.norm2", l);
    zb_gemm(net, r, t, 4 * hidden, hidden, 1, 1, "%s.mlp.fc1", l)->act = ZOO_ACT_GELU;
    zb_gemm(net, r, t, hidden, 4 * hidden, 1, 1, "%s.mlp.fc2", l);
    zb_elementwise(net, t * hidden, 2, 1, 0, "%s.add_mlp", l);
    zb_end(net);
    zb_elementwise(net, t * hidden, 1, 8, 2.0 * hidden, "norm");
    zb_gemm(net, r, r->batch, 1000, hidden, 1, 1, "head");
    zb_note(net, "197 tokens (196 patches of 16x16 + the class token), hidden 768, 12 layers, "
                 "12 heads, MLP 3072.");
    return 0;
}

/* ---------------------------------------------------------------- Llama */

typedef struct llama {
    int64_t hidden, layers, heads, kv_heads, inter, vocab, max_ctx;
    int tied;                     /* lm_head shares the embedding matrix */
} llama_t;

/* config.json of each model: hidden_size, num_hidden_layers, num_attention_heads,
 * num_key_value_heads, intermediate_size, vocab_size, max_position_embeddings,
 * tie_word_embeddings. */
static const llama_t LLAMAS[ZOO_LLAMA_MODELS] = {
    {4096, 32, 32, 32, 11008, 32000, 4096, 0},     /* Llama-2-7b-hf */
    {5120, 40, 40, 40, 13824, 32000, 4096, 0},     /* Llama-2-13b-hf */
    {8192, 80, 64, 8, 28672, 32000, 4096, 0},      /* Llama-2-70b-hf */
    {4096, 32, 32, 8, 14336, 128256, 8192, 0},     /* Meta-Llama-3-8B */
    {2048, 16, 32, 8, 8192, 128256, 131072, 1},    /* Llama-3.2-1B */
    {3072, 28, 24, 8, 8192, 128256, 131072, 1},    /* Llama-3.2-3B */
};

int64_t zoo_llama_max_context(int model)
{
    assert(model >= 0 && model < ZOO_LLAMA_MODELS);
    return LLAMAS[model].max_ctx;
}

/* One forward pass of a Llama decoder: decode (one new token per sequence, attending
 * to --context cached tokens) or prefill (a --prompt, causal). Per layer: RMS norm, the
 * fused QKV projection ((heads + 2 kv_heads) x head_dim outputs), rotary embedding of q
 * and k, attention (grouped-query where kv_heads < heads), the output projection and a
 * residual add; RMS norm, the fused gate / up projection (2 x intermediate), SiLU(gate) x
 * up, the down projection and a residual add. Then the final norm and the LM head, on
 * the last token only in prefill (what a runtime samples from). */
int zoo_build_llama(zoo_net_t *net, const zoo_resolved_t *r, int variant)
{
    const llama_t *m = &LLAMAS[variant / 2];
    int prefill = variant % 2;
    int64_t h = m->hidden, hd = m->hidden / m->heads, q = prefill ? r->prompt : 1;
    int64_t t = r->batch * q, kv = prefill ? r->prompt : r->context;
    char l[32];
    int st;
    assert(variant >= 0 && variant < 2 * ZOO_LLAMA_MODELS);

    snprintf(l, sizeof l, "model.layers.0-%d", (int)m->layers - 1);
    st = zb_stage(net, prefill ? "prefill" : "decode", ZOO_ROLE_MAIN, -1);
    /* The embedding table stays in fp16; with tied embeddings the LM head's weight (a
     * gemm operand, counted there) is the same matrix. */
    if (!m->tied)
        net->stages[st].weight_bytes = (double)m->vocab * h * 2;
    zb_elementwise(net, t * h, 1, 0, m->tied ? 0 : (double)m->vocab * h, "model.embed_tokens");
    zb_repeat(net, m->layers, "%s", l);
    zb_elementwise(net, t * h, 1, 4, (double)h, "%s.input_layernorm", l);
    zb_gemm(net, r, t, (m->heads + 2 * m->kv_heads) * hd, h, 1, 0, "%s.self_attn.qkv_proj", l);
    zb_elementwise(net, t * (m->heads + m->kv_heads) * hd, 1, 6, 0, "%s.self_attn.rotary", l);
    zb_attention(net, r->batch, m->heads, m->kv_heads, q, kv, hd, prefill, "%s.self_attn", l);
    zb_gemm(net, r, t, h, m->heads * hd, 1, 0, "%s.self_attn.o_proj", l);
    zb_elementwise(net, t * h, 2, 1, 0, "%s.add_attn", l);
    zb_elementwise(net, t * h, 1, 4, (double)h, "%s.post_attention_layernorm", l);
    zb_gemm(net, r, t, 2 * m->inter, h, 1, 0, "%s.mlp.gate_up_proj", l);
    zb_elementwise(net, t * m->inter, 2, 6, 0, "%s.mlp.silu_mul", l);
    zb_gemm(net, r, t, h, m->inter, 1, 0, "%s.mlp.down_proj", l);
    zb_elementwise(net, t * h, 2, 1, 0, "%s.add_mlp", l);
    zb_end(net);
    zb_elementwise(net, t * h, 1, 4, (double)h, "model.norm");
    zb_gemm(net, r, r->batch, m->vocab, h, 1, 0, "lm_head");

    zb_note(net, "Hidden %d, %d layers, %d heads of %d, %d KV heads, MLP %d, vocabulary %d%s.",
            (int)h, (int)m->layers, (int)m->heads, (int)hd, (int)m->kv_heads, (int)m->inter,
            (int)m->vocab, m->tied ? ", tied embeddings" : "");
    if (prefill)
        zb_note(net, "Prefill of %d prompt tokens (causal); the LM head runs on the last token.",
                (int)r->prompt);
    else
        zb_note(net, "One decode step: a new token attends to %d cached tokens (K/V in the KV "
                     "cache); one frame = one token.", (int)r->context);
    if (r->has_wdtype && r->group)
        zb_note(net, "Weights stored as %s with an fp16 scale per %d weights along k, fp16 "
                     "math (weight-only group quantisation, as AWQ / GPTQ (128) or MLC q4f16_1 "
                     "(32) kernels).", dtype_name(r->wdtype), (int)r->group);
    else if (r->has_wdtype)
        zb_note(net, "Weights stored as %s, fp16 math (weight-only quantisation, as W8A16 "
                     "kernels; per-channel scales left out).", dtype_name(r->wdtype));
    if (!m->tied)
        zb_note(net, "memory: the fp16 embedding table (%d x %d), which no op reads whole.",
                (int)m->vocab, (int)h);
    return 0;
}
