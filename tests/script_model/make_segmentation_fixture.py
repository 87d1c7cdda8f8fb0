#!/usr/bin/python3
"""Writes the fixture for tests/script_model/segmentation_test.cpp: segmentation models with random
weights, exported the way users export theirs, and what PyTorch computes with them.

  make_segmentation_fixture.py OUTDIR

writes OUTDIR/models/segmentation/voc.pt + voc.json    torchvision's lraspp_mobilenet_v3_large with
                                                        random weights, through tools/export_segmentation.py
       OUTDIR/models/segmentation/tiny.pt + tiny.json  a small scripted module returning logits (not a
                                                        dict) at half the input's size, 3 classes
       OUTDIR/cases.safetensors                         a content picture, the class probabilities of
                                                        both models, and masks from classes

Exits 77 (ctest counts it as a failure) without python3-torch and python3-torchvision.
"""
import os
import subprocess
import sys

try:
    import numpy  # noqa: F401  (the safetensors writer uses it)
    import torch
    import torchvision  # noqa: F401
    from torchvision.models import segmentation
except ImportError as exc:  # pragma: no cover
    print(f"make_segmentation_fixture.py: cannot make the fixture, needs python3-torch and python3-torchvision ({exc})",
          file=sys.stderr)
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
from make_safetensors_fixture import serialize  # noqa: E402

EXPORTER = os.path.join(HERE, "..", "..", "tools", "export_segmentation.py")
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


class Tiny(torch.nn.Module):
    """Logits of 3 classes at half resolution, from a strided convolution."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 3, 3, stride=2, padding=1)

    def forward(self, x):
        return self.conv(x) * 4.0


def normalised(x):
    return (x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)


def main():
    out = sys.argv[1]
    folder = os.path.join(out, "models", "segmentation")
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(0)
    torch.set_num_threads(min(2, os.cpu_count() or 1))

    voc = segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=21).eval()
    checkpoint = os.path.join(out, "lraspp_random.pth")
    torch.save(voc.state_dict(), checkpoint)
    subprocess.run([sys.executable, EXPORTER, "lraspp_mobilenet_v3_large", checkpoint,
                    os.path.join(folder, "voc.pt"), "--force"], check=True)

    tiny = Tiny().eval()
    torch.jit.script(tiny).save(os.path.join(folder, "tiny.pt"))
    with open(os.path.join(folder, "tiny.json"), "w") as f:
        f.write('{"classes": ["sky", "tree", "other"], "input_range": [0, 1]}\n')

    g = torch.Generator().manual_seed(7)
    content = torch.nn.functional.avg_pool2d(torch.rand(1, 3, 48, 64, generator=g), 5, 1, 2, count_include_pad=False)
    with torch.no_grad():
        voc_probs = torch.softmax(voc(normalised(content))["out"], 1)
        logits = torch.nn.functional.interpolate(tiny(content), size=(48, 64), mode="bilinear", align_corners=False)
        tiny_probs = torch.softmax(logits, 1)
    cases = {
        "content": content,
        "voc.probabilities": voc_probs,
        "voc.mask.person_dog": (voc_probs[:, 15:16] + voc_probs[:, 12:13]).clamp(0, 1),
        "voc.mask.not_person": 1 - voc_probs[:, 15:16],
        "tiny.probabilities": tiny_probs,
    }
    tmp = os.path.join(out, "cases.safetensors.tmp")
    with open(tmp, "wb") as f:
        f.write(serialize(cases, {"source": "tests/script_model/make_segmentation_fixture.py"}))
    os.replace(tmp, os.path.join(out, "cases.safetensors"))  # last: its presence means complete
    return 0


if __name__ == "__main__":
    sys.exit(main())
