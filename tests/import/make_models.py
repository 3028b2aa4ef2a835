#!/usr/bin/python3
"""Small ONNX models for the importer's tests (tests/cli/import.sh), built with Debian's
python3-onnx, so the tests download nothing. Weights are zeros: only shapes and types
matter to orinsim. Usage: make_models.py OUT_DIR [NAME...]; each NAME writes NAME.onnx."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh


def w(name, *shape):
    return nh.from_array(np.zeros(shape, np.float32), name)


def wx(name, *shape):
    """A float weight held in external data (a file that is never written): the model
    file stays small, and orinsim must not need the weights."""
    t = onnx.TensorProto()
    t.name, t.data_type = name, T.FLOAT
    t.dims.extend(shape)
    t.data_location = onnx.TensorProto.EXTERNAL
    size = 4 * int(np.prod(shape))
    for k, v in (("location", "weights.bin"), ("offset", "0"), ("length", str(size))):
        e = t.external_data.add()
        e.key, e.value = k, v
    return t


def i64(name, values):
    return nh.from_array(np.array(values, np.int64), name)


def model(nodes, inputs, outputs, inits, opset=17):
    g = h.make_graph(nodes, "g", inputs, outputs, inits)
    m = h.make_model(g, opset_imports=[h.make_opsetid("", opset)], producer_name="orinsim-tests")
    if not any(t.data_location == onnx.TensorProto.EXTERNAL for t in inits):
        onnx.checker.check_model(m)
    return m


def vi(name, shape, t=T.FLOAT):
    return h.make_tensor_value_info(name, t, shape)


class Net:
    """A graph under construction: conv / bn / activation helpers named as PyTorch's
    exporter names nodes (/model.N/conv/Conv ...)."""

    def __init__(self, external=False):
        self.nodes, self.inits, self.n = [], [], 0
        self.external = external

    def tmp(self):
        self.n += 1
        return "t%d" % self.n

    def node(self, op, ins, name, nout=1, **attrs):
        outs = [self.tmp() for _ in range(nout)]
        self.nodes.append(h.make_node(op, ins, outs, name=name, **attrs))
        return outs[0] if nout == 1 else outs

    def weight(self, *shape):
        name = "w%d" % len(self.inits)
        self.inits.append((wx if self.external else w)(name, *shape))
        return name

    def const(self, values):
        name = "k%d" % len(self.inits)
        self.inits.append(i64(name, values))
        return name

    def conv(self, x, cin, cout, k, s, tag, act="silu", groups=1, bias=True):
        p = k // 2
        ins = [x, self.weight(cout, cin // groups, k, k)] + ([self.weight(cout)] if bias else [])
        y = self.node("Conv", ins, tag + "/conv/Conv", kernel_shape=[k, k], strides=[s, s],
                      pads=[p, p, p, p], group=groups)
        if act == "silu":
            sg = self.node("Sigmoid", [y], tag + "/act/Sigmoid")
            y = self.node("Mul", [y, sg], tag + "/act/Mul")
        elif act == "relu":
            y = self.node("Relu", [y], tag + "/act/Relu")
        return y


def convnet():
    """stem conv 3->16 3x3/2 + BN + ReLU, maxpool 3/2, conv 16->16 3x3 + SiLU, residual
    add, global pool, fc 16->10; dynamic batch."""
    n = Net()
    c1 = n.node("Conv", ["x", n.weight(16, 3, 3, 3), n.weight(16)], "/stem/conv/Conv",
                pads=[1, 1, 1, 1], strides=[2, 2], kernel_shape=[3, 3])
    bn = n.node("BatchNormalization", [c1] + [n.weight(16) for _ in range(4)], "/stem/bn/BatchNormalization")
    r = n.node("Relu", [bn], "/stem/act/Relu")
    p = n.node("MaxPool", [r], "/pool/MaxPool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    a = n.conv(p, 16, 16, 3, 1, "/block")
    s = n.node("Add", [a, p], "/block/Add")
    g = n.node("GlobalAveragePool", [s], "/head/pool/GlobalAveragePool")
    f = n.node("Flatten", [g], "/head/Flatten")
    n.nodes.append(h.make_node("Gemm", [f, n.weight(10, 16), n.weight(10)], ["y"], name="/head/fc/Gemm", transB=1))
    return model(n.nodes, [vi("x", ["batch", 3, 64, 64])], [vi("y", ["batch", 10])], n.inits)


def c2f():
    """A YOLOv8 C2f block (c1 = c2 = 32, n = 1, shortcut) at 1x32x80x80: cv1 1x1 to
    2c = 32, split in two 16-channel halves, a bottleneck (two 3x3 convs, add), concat
    of the three, cv2 1x1 48 -> 32; then an upsample by 2 and a concat with itself."""
    n = Net(external=True)
    y = n.conv("x", 32, 32, 1, 1, "/model.2/cv1")
    a, b = n.node("Split", [y, n.const([16, 16])], "/model.2/Split", nout=2, axis=1)
    m = n.conv(b, 16, 16, 3, 1, "/model.2/m.0/cv1")
    m = n.conv(m, 16, 16, 3, 1, "/model.2/m.0/cv2")
    m = n.node("Add", [b, m], "/model.2/m.0/Add")
    c = n.node("Concat", [a, b, m], "/model.2/Concat", axis=1)
    y = n.conv(c, 48, 32, 1, 1, "/model.2/cv2")
    sc = nh.from_array(np.array([1, 1, 2, 2], np.float32), "scales")
    n.inits.append(sc)
    u = n.node("Resize", [y, "", "scales"], "/model.3/Resize", mode="nearest")
    n.nodes.append(h.make_node("Concat", [u, u], ["y"], name="/model.4/Concat", axis=1))
    return model(n.nodes, [vi("x", [1, 32, 80, 80])], [vi("y", [1, 64, 160, 160])], n.inits)


def transformer():
    """A pre-norm transformer encoder block, ViT-B like: 197 tokens, hidden 768, 12 heads
    of 64, MLP 3072, GELU; Q, K and V as three MatMuls with biases. Weights in external
    data that is never written."""
    n = Net(external=True)
    S, D, H, HD, F = 197, 768, 12, 64, 3072
    ln = n.node("LayerNormalization", ["x", n.weight(D), n.weight(D)], "/blocks.0/norm1/LayerNormalization", axis=-1)

    def heads(t, tag):
        t = n.node("MatMul", [t, n.weight(D, D)], tag + "/MatMul")
        t = n.node("Add", [t, n.weight(D)], tag + "/Add")
        t = n.node("Reshape", [t, n.const([1, S, H, HD])], tag + "/Reshape")
        return t

    q = n.node("Transpose", [heads(ln, "/blocks.0/attn/q")], "/blocks.0/attn/q/Transpose", perm=[0, 2, 1, 3])
    k = n.node("Transpose", [heads(ln, "/blocks.0/attn/k")], "/blocks.0/attn/k/Transpose", perm=[0, 2, 3, 1])
    v = n.node("Transpose", [heads(ln, "/blocks.0/attn/v")], "/blocks.0/attn/v/Transpose", perm=[0, 2, 1, 3])
    s = n.node("MatMul", [q, k], "/blocks.0/attn/MatMul")
    sc = nh.from_array(np.array(0.125, np.float32), "scale")
    n.inits.append(sc)
    s = n.node("Mul", [s, "scale"], "/blocks.0/attn/Mul")
    p = n.node("Softmax", [s], "/blocks.0/attn/Softmax", axis=-1)
    o = n.node("MatMul", [p, v], "/blocks.0/attn/MatMul_1")
    o = n.node("Transpose", [o], "/blocks.0/attn/Transpose", perm=[0, 2, 1, 3])
    o = n.node("Reshape", [o, n.const([1, S, D])], "/blocks.0/attn/Reshape")
    o = n.node("MatMul", [o, n.weight(D, D)], "/blocks.0/attn/proj/MatMul")
    o = n.node("Add", [o, n.weight(D)], "/blocks.0/attn/proj/Add")
    x1 = n.node("Add", ["x", o], "/blocks.0/Add")
    l2 = n.node("LayerNormalization", [x1, n.weight(D), n.weight(D)], "/blocks.0/norm2/LayerNormalization", axis=-1)
    f = n.node("MatMul", [l2, n.weight(D, F)], "/blocks.0/mlp/fc1/MatMul")
    f = n.node("Add", [f, n.weight(F)], "/blocks.0/mlp/fc1/Add")
    for name, v in (("sqrt2", 1.4142135), ("one", 1.0), ("half", 0.5)):
        n.inits.append(nh.from_array(np.array(v, np.float32), name))
    e = n.node("Div", [f, "sqrt2"], "/blocks.0/mlp/act/Div")
    e = n.node("Erf", [e], "/blocks.0/mlp/act/Erf")
    e = n.node("Add", [e, "one"], "/blocks.0/mlp/act/Add")
    e = n.node("Mul", [f, e], "/blocks.0/mlp/act/Mul")
    f = n.node("Mul", [e, "half"], "/blocks.0/mlp/act/Mul_1")
    f = n.node("MatMul", [f, n.weight(F, D)], "/blocks.0/mlp/fc2/MatMul")
    f = n.node("Add", [f, n.weight(D)], "/blocks.0/mlp/fc2/Add")
    n.nodes.append(h.make_node("Add", [x1, f], ["y"], name="/blocks.0/Add_1"))
    return model(n.nodes, [vi("x", [1, S, D])], [vi("y", [1, S, D])], n.inits)


def qdq():
    """Explicit quantization: Q/DQ on the input and DQ on the weights of two convs
    (8 -> 16 -> 16 channels, 3x3, 32x32), then a float sigmoid."""
    n = Net()
    sc = nh.from_array(np.array(0.02, np.float32), "s")
    zp = nh.from_array(np.array(0, np.int8), "zp")
    n.inits += [sc, zp]

    def qconv(x, cin, cout, tag):
        q = n.node("QuantizeLinear", [x, "s", "zp"], tag + "/input_quantizer/QuantizeLinear")
        dq = n.node("DequantizeLinear", [q, "s", "zp"], tag + "/input_quantizer/DequantizeLinear")
        wq = "wq%d" % len(n.inits)
        n.inits.append(nh.from_array(np.zeros((cout, cin, 3, 3), np.int8), wq))
        wd = n.node("DequantizeLinear", [wq, "s", "zp"], tag + "/weight_quantizer/DequantizeLinear")
        y = n.node("Conv", [dq, wd, n.weight(cout)], tag + "/Conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
        return n.node("Relu", [y], tag + "/Relu")

    y = qconv("x", 8, 16, "/conv1")
    y = qconv(y, 16, 16, "/conv2")
    n.nodes.append(h.make_node("Sigmoid", [y], ["y"], name="/out/Sigmoid"))
    return model(n.nodes, [vi("x", [1, 8, 32, 32])], [vi("y", [1, 16, 32, 32])], n.inits, opset=13)


def extdata(out):
    """The conv net with its weights in an external file (written, then deleted, so the
    import must not need it)."""
    m = convnet()
    onnx.save_model(m, os.path.join(out, "extdata.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="extdata.weights", size_threshold=0)
    os.remove(os.path.join(out, "extdata.weights"))


# ---- zoo networks written as ONNX from the same definition (soc/zoo/zoo_nets.c) ----

def resnet50():
    """torchvision's resnet50 (v1.5: the stride on the 3x3 conv) as its exporter writes
    it: every conv followed by a BatchNormalization, ReLU after it or after the residual
    add, adaptive average pool, flatten, fc; 1x3x224x224."""
    n = Net(external=True)

    def cbr(x, cin, cout, k, s, tag, relu=True):
        p = k // 2
        y = n.node("Conv", [x, n.weight(cout, cin, k, k)], tag + "/Conv", kernel_shape=[k, k],
                   strides=[s, s], pads=[p, p, p, p])
        y = n.node("BatchNormalization", [y] + [n.weight(cout) for _ in range(4)], tag + "/BatchNormalization")
        return n.node("Relu", [y], tag + "/Relu") if relu else y

    x = cbr("x", 3, 64, 7, 2, "/conv1")
    x = n.node("MaxPool", [x], "/maxpool/MaxPool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    cin = 64
    for stage, blocks in enumerate([3, 4, 6, 3], start=1):
        planes = 64 << (stage - 1)
        for b in range(blocks):
            s = 2 if b == 0 and stage > 1 else 1
            tag = "/layer%d/layer%d.%d" % (stage, stage, b)
            y = cbr(x, cin, planes, 1, 1, tag + "/conv1")
            y = cbr(y, planes, planes, 3, s, tag + "/conv2")
            y = cbr(y, planes, planes * 4, 1, 1, tag + "/conv3", relu=False)
            sc = x
            if b == 0:
                sc = cbr(x, cin, planes * 4, 1, s, tag + "/downsample", relu=False)
            x = n.node("Relu", [n.node("Add", [y, sc], tag + "/Add")], tag + "/Relu")
            cin = planes * 4
    x = n.node("GlobalAveragePool", [x], "/avgpool/GlobalAveragePool")
    x = n.node("Flatten", [x], "/Flatten")
    n.nodes.append(h.make_node("Gemm", [x, n.weight(1000, 2048), n.weight(1000)], ["y"], name="/fc/Gemm", transB=1))
    return model(n.nodes, [vi("x", [1, 3, 224, 224])], [vi("y", [1, 1000])], n.inits)


def yolov8n():
    """Ultralytics YOLOv8n at 1x3x640x640 as the zoo defines it (soc/zoo/zoo_nets.c,
    zoo_build_yolo): Conv = Conv2d with the batch-norm fused (as Ultralytics exports it)
    + SiLU as x * Sigmoid(x); C2f with split, bottlenecks and concat; SPPF's three
    chained 5x5 max-pools; the upsampling head; Detect's box (to 4 x 16 bins) and class
    branches per level; then the zoo's decode: the three levels concatenated (8400
    anchors), the DFL softmax over 16 bins and its 1x1 conv, the box arithmetic as two
    residual element-wise ops, and the class sigmoid. Width 0.25 (channels 16..256),
    depth 0.33 (C2f repeats 1 and 2)."""
    n = Net(external=True)

    def C(x, cin, cout, k, s, tag):
        return n.conv(x, cin, cout, k, s, "/" + tag)

    def bottleneck(x, c, shortcut, tag):
        y = C(x, c, c, 3, 1, tag + "/cv1")
        y = C(y, c, c, 3, 1, tag + "/cv2")
        return n.node("Add", [x, y], "/" + tag + "/Add") if shortcut else y

    def c2f(x, cin, cout, reps, shortcut, idx):
        c = cout // 2
        y = C(x, cin, 2 * c, 1, 1, "model.%d/cv1" % idx)
        a, b = n.node("Split", [y, n.const([c, c])], "/model.%d/Split" % idx, nout=2, axis=1)
        parts = [a, b]
        for i in range(reps):
            b = bottleneck(b, c, shortcut, "model.%d/m.%d" % (idx, i))
            parts.append(b)
        y = n.node("Concat", parts, "/model.%d/Concat" % idx, axis=1)
        return C(y, (2 + reps) * c, cout, 1, 1, "model.%d/cv2" % idx)

    def up(x, idx):
        sc = "up%d" % idx
        n.inits.append(nh.from_array(np.array([1, 1, 2, 2], np.float32), sc))
        return n.node("Resize", [x, "", sc], "/model.%d/Resize" % idx, mode="nearest")

    x = C("x", 3, 16, 3, 2, "model.0")
    x = C(x, 16, 32, 3, 2, "model.1")
    x = c2f(x, 32, 32, 1, True, 2)
    x = C(x, 32, 64, 3, 2, "model.3")
    p3 = x = c2f(x, 64, 64, 2, True, 4)
    x = C(x, 64, 128, 3, 2, "model.5")
    p4 = x = c2f(x, 128, 128, 2, True, 6)
    x = C(x, 128, 256, 3, 2, "model.7")
    x = c2f(x, 256, 256, 1, True, 8)
    sp = C(x, 256, 128, 1, 1, "model.9/cv1")
    m1 = n.node("MaxPool", [sp], "/model.9/m/MaxPool", kernel_shape=[5, 5], strides=[1, 1], pads=[2, 2, 2, 2])
    m2 = n.node("MaxPool", [m1], "/model.9/m_1/MaxPool", kernel_shape=[5, 5], strides=[1, 1], pads=[2, 2, 2, 2])
    m3 = n.node("MaxPool", [m2], "/model.9/m_2/MaxPool", kernel_shape=[5, 5], strides=[1, 1], pads=[2, 2, 2, 2])
    x = n.node("Concat", [sp, m1, m2, m3], "/model.9/Concat", axis=1)
    p5 = x = C(x, 512, 256, 1, 1, "model.9/cv2")
    x = n.node("Concat", [up(x, 10), p4], "/model.11/Concat", axis=1)
    p4 = x = c2f(x, 384, 128, 1, False, 12)
    x = n.node("Concat", [up(x, 13), p3], "/model.14/Concat", axis=1)
    l0 = x = c2f(x, 192, 64, 1, False, 15)
    x = C(x, 64, 64, 3, 2, "model.16")
    x = n.node("Concat", [x, p4], "/model.17/Concat", axis=1)
    l1 = x = c2f(x, 192, 128, 1, False, 18)
    x = C(x, 128, 128, 3, 2, "model.19")
    x = n.node("Concat", [x, p5], "/model.20/Concat", axis=1)
    l2 = c2f(x, 384, 256, 1, False, 21)
    flat = []
    for i, (lv, c, hw) in enumerate(((l0, 64, 6400), (l1, 128, 1600), (l2, 256, 400))):
        b = C(lv, c, 64, 3, 1, "model.22/cv2.%d/cv2.%d.0" % (i, i))
        b = C(b, 64, 64, 3, 1, "model.22/cv2.%d/cv2.%d.1" % (i, i))
        b = n.node("Conv", [b, n.weight(64, 64, 1, 1), n.weight(64)], "/model.22/cv2.%d/cv2.%d.2/Conv" % (i, i), kernel_shape=[1, 1])
        k = C(lv, c, 80, 3, 1, "model.22/cv3.%d/cv3.%d.0" % (i, i))
        k = C(k, 80, 80, 3, 1, "model.22/cv3.%d/cv3.%d.1" % (i, i))
        k = n.node("Conv", [k, n.weight(80, 80, 1, 1), n.weight(80)], "/model.22/cv3.%d/cv3.%d.2/Conv" % (i, i), kernel_shape=[1, 1])
        y = n.node("Concat", [b, k], "/model.22/Concat_%d" % i, axis=1)
        flat.append(n.node("Reshape", [y, n.const([0, 144, hw])], "/model.22/Reshape_%d" % i))
    a = n.node("Concat", flat, "/model.22/Concat_3", axis=2)
    box, cls = n.node("Split", [a, n.const([64, 80])], "/model.22/Split", nout=2, axis=1)
    d = n.node("Reshape", [box, n.const([0, 16, 4, 8400])], "/model.22/dfl/Reshape")
    d = n.node("Softmax", [d], "/model.22/dfl/Softmax", axis=1)
    d = n.node("Conv", [d, n.weight(1, 16, 1, 1)], "/model.22/dfl/conv/Conv", kernel_shape=[1, 1])
    d = n.node("Reshape", [d, n.const([0, 4, 1, 8400])], "/model.22/dfl/Reshape_1")
    e = n.node("Sub", [d, d], "/model.22/Sub")
    e = n.node("Mul", [e, e], "/model.22/Mul")
    n.nodes[-1].output[0] = "boxes"
    n.nodes.append(h.make_node("Sigmoid", [cls], ["scores"], name="/model.22/Sigmoid"))
    return model(n.nodes, [vi("x", [1, 3, 640, 640])],
                 [vi("boxes", [1, 4, 1, 8400]), vi("scores", [1, 80, 8400])], n.inits)


# ---- bad inputs ----

def cycle():
    n1 = h.make_node("Relu", ["x", ], ["a"], name="first")
    n2 = h.make_node("Add", ["a", "c"], ["b"], name="loop_add")
    n3 = h.make_node("Relu", ["b"], ["c"], name="loop_relu")
    g = h.make_graph([n1, n2, n3], "g", [vi("x", [1, 4])], [vi("c", [1, 4])])
    return h.make_model(g, opset_imports=[h.make_opsetid("", 17)])


def baddtype():
    t = onnx.TensorProto()
    t.name, t.data_type = "w", 99
    t.dims.extend([4])
    n1 = h.make_node("Add", ["x", "w"], ["y"], name="add")
    g = h.make_graph([n1], "g", [vi("x", [4])], [vi("y", [4])], [t])
    return h.make_model(g, opset_imports=[h.make_opsetid("", 17)])


def noshape():
    """A Reshape whose shape is computed at run time from a graph input."""
    n1 = h.make_node("Reshape", ["x", "s"], ["y"], name="/view/Reshape")
    g = h.make_graph([n1], "g", [vi("x", [1, 64]), vi("s", [2], T.INT64)], [vi("y", None)])
    return h.make_model(g, opset_imports=[h.make_opsetid("", 17)])


def dynamic():
    """A conv whose input has a dynamic height and width."""
    n = Net()
    y = n.conv("x", 3, 8, 3, 1, "/c")
    n.nodes[-1].output[0] = "y"
    return model(n.nodes, [vi("x", [1, 3, "height", "width"])], [vi("y", [1, 8, "height", "width"])], n.inits)


def unknown():
    """A conv followed by an op orinsim has no cost model for."""
    n = Net()
    y = n.conv("x", 3, 8, 3, 1, "/c", act="relu")
    n.nodes.append(h.make_node("NonZero", [y], ["y"], name="/nz/NonZero"))
    return model(n.nodes, [vi("x", [1, 3, 16, 16])], [vi("y", [4, None], T.INT64)], n.inits)


MODELS = {"resnet50": resnet50, "yolov8n": yolov8n, "convnet": convnet, "c2f": c2f, "transformer": transformer, "qdq": qdq,
          "cycle": cycle, "baddtype": baddtype, "noshape": noshape, "dynamic": dynamic,
          "unknown": unknown}


ZOO = ("resnet50", "yolov8n")


def main():
    out = sys.argv[1]
    names = sys.argv[2:] or [m for m in MODELS if m not in ZOO] + ["extdata"]
    for name in names:
        if name == "extdata":
            extdata(out)
        else:
            onnx.save(MODELS[name](), os.path.join(out, name + ".onnx"))


if __name__ == "__main__":
    main()
