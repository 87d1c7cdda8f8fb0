#!/usr/bin/python3
"""ctest: the CLI reproduces the original Python workflow on pictures this test makes.

PNG inputs decode identically in stb_image and PIL, so the results must be equal bit for bit;
JPEG inputs decode with different IDCTs (stb_image vs libjpeg), so they must be within the
tolerance of the foundation issue (mean <= 0.5, max <= 4 levels). Skips (exit 77) where Debian's
python3-torch, python3-torchvision or python3-pil is missing.
Usage: parity_with_original.py PATH/TO/neuraltransfer
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))

try:
    import numpy as np
    import torch  # noqa: F401
    import torchvision  # noqa: F401
    from PIL import Image
except ImportError as e:
    print("SKIP: parity test needs python3-torch, python3-torchvision, python3-pil, python3-numpy (%s)" % e)
    sys.exit(77)

import parity


def picture(w, h, seed):
    """A photo-like test picture: smooth gradients, edges and noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 127 + 100 * np.sin(x / (7 + seed)) * np.cos(y / 11)
    g = 255 * x / max(w - 1, 1)
    b = np.where((x // 17 + y // 13) % 2 == 0, 40, 210)
    img = np.stack([r, g, b], axis=-1) + rng.normal(0, 12, (h, w, 3))
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def main():
    cli = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        sizes = [(729, 512), (300, 300), (512, 512), (591, 800), (1200, 300)]
        files = []
        for i, (w, h) in enumerate(sizes):
            png = os.path.join(tmp, "p%d.png" % i)
            jpg = os.path.join(tmp, "j%d.jpg" % i)
            im = picture(w, h, i)
            im.save(png)
            im.save(jpg, quality=90)
            files.append((png, jpg))
        for i in range(len(files)):
            j = (i + 1) % len(files)
            for kind, (c, s), exact in (("png", (files[i][0], files[j][0]), True),
                                        ("jpg", (files[i][1], files[j][1]), False)):
                mean, worst = parity.compare(cli, c, s)
                ok = worst == 0 if exact else (mean <= parity.MEAN_TOLERANCE and worst <= parity.MAX_TOLERANCE)
                failures += not ok
                print("%-4s %s %s + %s: mean %.4f max %d%s" % ("ok" if ok else "FAIL", kind, os.path.basename(c),
                      os.path.basename(s), mean, worst, " (must be exact)" if exact else ""))
        # Style strength other than the default: (1 - a) * content + a * style, still exact.
        mean, worst = parity.compare(cli, files[0][0], files[1][0], cli_args=("--alpha", "0.25"), alpha=0.25)
        failures += worst != 0
        print("%-4s png alpha 0.25: mean %.4f max %d" % ("ok" if worst == 0 else "FAIL", mean, worst))
    print("parity: %d failure(s)" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
