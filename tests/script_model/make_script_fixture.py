#!/usr/bin/python3
"""Writes the TorchScript fixture that script_model_test.cpp loads:

    tests/script_model/make_script_fixture.py OUTDIR

Tiny modules, each saved as NAME.pt with its sidecar NAME.json (the format of
src/nets/script_model.h and docs/MODELS.md):

  bgr255      traced: expects 0..255 BGR normalised with mean/std, a fixed 3x3 conv, returns 0..255 BGR
  half        traced: 0..1 RGB in, half-size output in -1..1 (checks output_range and the resize back)
  scripted    torch.jit.script with control flow: 0..1 RGB in and out
  tuple       returns (x, x)                 -> rejected
  list        returns [x]                    -> rejected
  one_channel returns [1, 1, H, W]           -> rejected
  int_output  returns a uint8 tensor         -> rejected
  raises      fails inside forward           -> nt::Error, one line
  state_dict  torch.save of a state_dict, not TorchScript (with a valid sidecar) -> rejected

and expected.safetensors: "input" (float [1, 3, 11, 14] in 0..1) and, for each of bgr255, half
and scripted, what PyTorch computes for it through the whole documented pipeline (range,
normalisation, channel order, forward, output range, clamp, bilinear resize back), so the C++
test compares ScriptModel::run against PyTorch itself.

Needs Debian's python3-torch; exits 77 (a failure for ctest) when torch cannot be imported.
"""
import json
import os
import sys

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print("make_script_fixture.py: cannot run, PyTorch is not importable (%s); "
          "install python3-torch to run the TorchScript tests" % e, file=sys.stderr)
    sys.exit(77)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from make_safetensors_fixture import serialize  # noqa: E402  (pure-Python safetensors writer)

H, W = 11, 14


class Bgr255(torch.nn.Module):
    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(1)
        self.conv = torch.nn.Conv2d(3, 3, 3, padding=1)
        with torch.no_grad():
            self.conv.weight.copy_(torch.randn(3, 3, 3, 3, generator=g) * 0.2)
            self.conv.bias.copy_(torch.tensor([0.1, -0.2, 0.3]))

    def forward(self, x):
        return self.conv(x) * 40.0 + 128.0


class Half(torch.nn.Module):
    def forward(self, x):
        return F.avg_pool2d(x, 2) * 2.0 - 1.0


class Scripted(torch.nn.Module):
    def forward(self, x):
        if x.size(2) > 4:
            y = 1.0 - x
        else:
            y = x
        for _ in range(2):
            y = y * 0.9 + 0.05
        return y


class ReturnsTuple(torch.nn.Module):
    def forward(self, x):
        return x, x


class ReturnsList(torch.nn.Module):
    def forward(self, x):
        return [x]


class OneChannel(torch.nn.Module):
    def forward(self, x):
        return x.mean(1, keepdim=True)


class IntOutput(torch.nn.Module):
    def forward(self, x):
        return (x * 255.0).to(torch.uint8)


class Raises(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(4, 3, 1)  # wrong channel count: fails on a 3-channel input

    def forward(self, x):
        return self.conv(x)


class Float32Only(torch.nn.Module):
    """Code that insists on float32: fails under bf16 autocast (its conv then returns bf16)."""
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 3, 3, padding=1)

    def forward(self, x):
        y = self.conv(x)
        if y.dtype != torch.float32:
            raise RuntimeError("this model computes in float32 only")
        return torch.sigmoid(y)


SIDECARS = {
    "bgr255": {"input_range": [0, 255], "mean": [123.675, 116.28, 103.53], "std": [58.395, 57.12, 57.375],
               "output_range": [0, 255], "channels": "bgr", "name": "BGR 0-255 test"},
    "half": {"input_range": [0, 1], "output_range": [-1, 1], "channels": "rgb"},
    "scripted": {"input_range": [0, 1], "channels": "rgb", "name": "Scripted"},
    "float32_only": {"input_range": [0, 1], "channels": "rgb"},
}
for bad in ("tuple", "list", "one_channel", "int_output", "raises", "state_dict"):
    SIDECARS[bad] = {"input_range": [0, 1], "channels": "rgb"}


def pipeline(module, content, sidecar):
    """The documented pre- and post-processing around module(x), as ScriptModel::run does it."""
    lo, hi = sidecar["input_range"]
    x = content * (hi - lo) + lo
    if "mean" in sidecar:  # listed in R, G, B order
        x = (x - torch.tensor(sidecar["mean"]).view(1, 3, 1, 1)) / torch.tensor(sidecar["std"]).view(1, 3, 1, 1)
    bgr = sidecar.get("channels", "rgb") == "bgr"
    if bgr:
        x = x.flip(1)
    with torch.no_grad():
        y = module(x)
    if bgr:
        y = y.flip(1)
    olo, ohi = sidecar.get("output_range", sidecar["input_range"])
    y = ((y - olo) / (ohi - olo)).clamp(0, 1)
    if y.shape[2:] != content.shape[2:]:
        y = F.interpolate(y, size=content.shape[2:], mode="bilinear", align_corners=False)
    return y


def main(argv):
    if len(argv) != 2:
        print("usage: make_script_fixture.py OUTDIR", file=sys.stderr)
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    content = torch.rand(1, 3, H, W)
    example = torch.rand(1, 3, 16, 16)

    modules = {
        "bgr255": torch.jit.trace(Bgr255().eval(), example),
        "half": torch.jit.trace(Half().eval(), example),
        "scripted": torch.jit.script(Scripted().eval()),
        "tuple": torch.jit.script(ReturnsTuple()),
        "list": torch.jit.script(ReturnsList()),
        "one_channel": torch.jit.script(OneChannel()),
        "int_output": torch.jit.script(IntOutput()),
        "raises": torch.jit.script(Raises()),
        "float32_only": torch.jit.script(Float32Only().eval()),
    }
    for name, module in modules.items():
        module.save(os.path.join(out, name + ".pt"))
    torch.save(Bgr255().state_dict(), os.path.join(out, "state_dict.pt"))
    for name, sidecar in SIDECARS.items():
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(sidecar, f, indent=2)

    tensors = {"input": content.contiguous()}
    for name in ("bgr255", "half", "scripted"):
        # Computed with the reloaded file, so the expectation is about what was saved.
        reloaded = torch.jit.load(os.path.join(out, name + ".pt"), map_location="cpu").eval()
        tensors[name] = pipeline(reloaded, content, SIDECARS[name]).contiguous()
    with open(os.path.join(out, "expected.safetensors"), "wb") as f:
        f.write(serialize(tensors, {"source": "make_script_fixture.py"}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
