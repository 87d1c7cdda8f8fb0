#!/usr/bin/python3
"""Pixel parity between the neuraltransfer CLI and the original Python workflow.

The original (shared/peers/seed_blend.py) is: PIL open -> convert("RGB") -> torchvision
Resize((512, 512)) -> ToTensor -> 0.6 * content + 0.4 * style -> clamp -> ToPILImage -> save.
`original_blend` below is that pipeline, with the output written as PNG so that JPEG encoding does
not blur the comparison. Needs Debian's python3-torch, python3-torchvision, python3-pil.

Usage: parity.py CLI CONTENT STYLE [--original SCRIPT]   (prints one line, exit 1 beyond tolerance)
"""
import argparse
import os
import subprocess
import sys
import tempfile

MEAN_TOLERANCE = 0.5  # levels out of 255, averaged over all pixels and channels
MAX_TOLERANCE = 4     # levels out of 255, worst pixel and channel


def original_blend(content, style, out, alpha=0.4):
    import torch  # noqa: F401  (imported here so --help works without torch)
    import torchvision.transforms as T
    from PIL import Image

    def load(path):
        return T.Compose([T.Resize((512, 512)), T.ToTensor()])(Image.open(path).convert("RGB")).unsqueeze(0)

    stylized = (1 - alpha) * load(content) + alpha * load(style)
    T.ToPILImage()(stylized.squeeze(0).clamp(0, 1)).save(out)


def difference(a_path, b_path):
    """(mean, max) absolute difference in levels between two RGB images of the same size."""
    import numpy as np
    from PIL import Image
    a = np.asarray(Image.open(a_path).convert("RGB"), dtype=np.int16)
    b = np.asarray(Image.open(b_path).convert("RGB"), dtype=np.int16)
    if a.shape != b.shape:
        return float("inf"), 255
    d = np.abs(a - b)
    return float(d.mean()), int(d.max())


def compare(cli, content, style, original=None, cli_args=(), alpha=0.4):
    """Runs both pipelines on one pair; returns (mean, max)."""
    with tempfile.TemporaryDirectory() as tmp:
        ours, theirs = os.path.join(tmp, "ours.png"), os.path.join(tmp, "theirs.png")
        subprocess.run([cli, content, style, "-o", ours, "-q", "--device", "cpu", *cli_args], check=True)
        if original:
            subprocess.run([sys.executable, original, content, style, theirs], check=True)
        else:
            original_blend(content, style, theirs, alpha)
        return difference(ours, theirs)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cli")
    parser.add_argument("content")
    parser.add_argument("style")
    parser.add_argument("--original", help="run this script (seed_blend.py) instead of the built-in copy")
    args = parser.parse_args()
    mean, worst = compare(args.cli, args.content, args.style, args.original)
    ok = mean <= MEAN_TOLERANCE and worst <= MAX_TOLERANCE
    print("%-4s mean %.4f  max %d  %s + %s" % ("ok" if ok else "FAIL", mean, worst,
                                                os.path.basename(args.content), os.path.basename(args.style)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
