/*
 * zoo_fuse: the fusion rules of TensorRT that the zoo's networks are written with, named
 * once for the zoo's writer (soc/zoo/zoo_emit.c) and for the builders of networks from
 * outside the zoo (soc/import/).
 *
 * - Batch-norm after a conv is folded into it (a scale on the weights, a bias): the
 *   builders never write a batch-norm that follows a conv.
 * - An activation is fused into the op that produces its input when that op is a conv,
 *   deconv, fc, gemm or residual eltwise (zoo_fuses_activation): the GPU runs it in the
 *   kernel's epilogue; a DLA in its post-processing unit when it has the function
 *   (zoo_dla_activation), and as a separate op that falls back to the GPU when not.
 * - Point-wise chains, Q/DQ pairs and views are the importer's (soc/import/ilower.c) and
 *   follow from the two rules above: a chain is one elementwise op, Q/DQ set the dtype of
 *   the layer they wrap, a view costs nothing.
 */
#include <assert.h>

#include "soc/zoo/zoo.h"

int zoo_fuses_activation(zoo_op_kind_t producer)
{
    return producer == ZOO_CONV || producer == ZOO_DECONV || producer == ZOO_FC ||
           producer == ZOO_GEMM || producer == ZOO_ELTWISE;
}

/* Activations the DLA's post-processing unit applies in the same pass as the conv: ReLU,
 * clipping (relu6, clip) and leaky ReLU natively, sigmoid and tanh from its lookup table.
 * SiLU, GELU and hard-swish are not in TensorRT's list of DLA activations, so they run
 * on the GPU. */
int zoo_dla_activation(zoo_act_t a)
{
    return a == ZOO_ACT_NONE || a == ZOO_ACT_RELU || a == ZOO_ACT_RELU6 ||
           a == ZOO_ACT_SIGMOID || a == ZOO_ACT_TANH || a == ZOO_ACT_LEAKY_RELU ||
           a == ZOO_ACT_CLIP;
}

const char *zoo_act_name(zoo_act_t a)
{
    static const char *const names[ZOO_ACT_COUNT] = {"none",  "relu",       "relu6",
                                                     "sigmoid", "silu",     "gelu",
                                                     "tanh",  "leaky_relu", "hardswish",
                                                     "clip"};
    assert(a >= 0 && a < ZOO_ACT_COUNT);
    return names[a];
}
