#!/usr/bin/env python3
"""Per-class bias of `orinsim validate`: the mean signed error and the MAPE of every class
of network family x precision x module, over the scored cases and the cross-checks.

    ./build/orinsim validate --json > v.json
    python3 docs/calibration/class_bias.py traces/validation/cases.yaml v.json

A case's family, precision and engine come from its `zoo:` command (the network's name,
--dtype, --engine); a case run from a trace file is its own class, named by its group.
"FP32" YOLO engines run as tf32 (TensorRT's default), so their class says tf32. A class of
3 cases or more whose mean signed error is beyond +/-15 % is marked with "<-".
Errors are on time: (predicted - published) / published for a time, and
published / predicted - 1 for a rate (images/s, tokens/s), so a negative error is a
prediction that is too fast whatever the metric. (`orinsim validate` prints a rate's
error as (predicted - published) / published.)
"""
import json
import sys
from collections import defaultdict

import yaml


def family(net):
    if net.startswith("yolo11"):
        return "YOLO11"
    if net.startswith("yolov8"):
        return "YOLOv8"
    if net.startswith("efficientvit-seg"):
        return "EfficientViT seg"
    if net.startswith("efficientvit"):
        return "EfficientViT"
    names = {"resnet50": "ResNet-50", "ssd-mobilenet": "SSD-MobileNetV1",
             "retinanet": "RetinaNet", "bert-base": "BERT", "bert-large": "BERT",
             "vit-b16": "ViT", "resnet18": "ResNet-18", "resnet34": "ResNet-34",
             "resnet34-backbone": "ResNet-34 trunk", "ssd-resnet34": "SSD-ResNet34",
             "yolov7": "YOLOv7"}
    if net in names:
        return names[net]
    if net.startswith("llama"):
        return "Llama decode" if net.endswith("decode") else "Llama prefill"
    return net


def classify(entry):
    z = entry.get("zoo")
    if not z:
        return (entry["group"], "-", entry["sku"])
    args = z.split()
    opt = {args[i]: args[i + 1] for i in range(1, len(args) - 1) if args[i].startswith("--")}
    fam = family(args[0])
    eng = opt.get("--engine", "gpu")
    if eng == "gpu+2dla" and opt.get("--split", "").startswith("0,"):
        eng = "dla"
    if eng != "gpu":
        fam += " (dla)" if "dla" in eng and "gpu" not in eng else " (" + eng + ")"
    dtype = opt.get("--dtype", "int8" if fam.startswith(("ResNet", "SSD", "Retina")) else "fp16")
    return (fam, dtype, entry["sku"])


def main():
    reg = yaml.safe_load(open(sys.argv[1]))
    res = {c["id"]: c for c in json.load(open(sys.argv[2]))["cases"]}
    rows = defaultdict(list)
    for kind in ("cases", "cross_checks"):
        for e in reg.get(kind) or []:
            r = res.get(e["id"])
            if r is None or r.get("published") is None:
                continue
            err = r["error_pct"]
            if r["metric"] != "latency_ms":          # a rate: the error on time
                err = (r["published"] / r["predicted"] - 1) * 100
            rows[classify(e)].append((err, kind == "cases"))
    print("| family | precision | module | cases (scored) | mean signed error | MAPE |")
    print("|---|---|---|---|---|---|")
    for key in sorted(rows):
        errs = [e for e, _ in rows[key]]
        n, scored = len(errs), sum(1 for _, s in rows[key] if s)
        mean = sum(errs) / n
        mape = sum(abs(e) for e in errs) / n
        mark = " <-" if n >= 3 and abs(mean) > 15 else ""
        print(f"| {key[0]} | {key[1]} | {key[2]} | {n} ({scored}) | {mean:+.1f} %{mark} | "
              f"{mape:.1f} % |")


if __name__ == "__main__":
    main()
