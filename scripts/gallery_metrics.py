#!/usr/bin/python3
"""How much of the photo each gallery picture keeps, and how close its colours come to the style.

For every CONTENT__STYLE__METHOD.jpg in the gallery folder (the plain results, not __preserve or
__masked) it measures, against the gallery's own CONTENT.jpg and STYLE.jpg (the inputs at gallery
size, so the same pixels the methods saw, give or take JPEG):

  content SSIM     Wang et al. 2004 SSIM of the result against the content, on luminance
                   (BT.601 Y, 0..255): 11x11 Gaussian window, sigma 1.5, K1 = 0.01, K2 = 0.03,
                   mean over the 'valid' SSIM map (as the authors' ssim_index.m). 1 = same structure.
  colour distance  the mean over R, G, B of the 1-D Wasserstein-1 (earth mover's) distance between
                   the result's and the style's distributions of that channel, in 8-bit levels;
                   0 = the style's palette exactly, channel by channel.

A first row per pair, "(content as is)", is the content itself: SSIM 1 and the colour distance a
method starts from. Prints a Markdown table on stdout. Needs only numpy and PIL (Debian's
python3-numpy, python3-pil); no scipy, so the filtering is a separable convolution written here.

Usage: gallery_metrics.py GALLERY [CONTENT:STYLE ...]
  With pairs, their rows come in that order; without, every pair found, alphabetically.
"""
import os
import sys

import numpy as np
from PIL import Image

# The order of the gallery's columns; a method not listed here comes after them, alphabetically.
METHODS = ["blend", "reinhard", "monge_kantorovich", "histogram", "patch_synthesis"]


def load_rgb(path):
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), dtype=np.float64)


def luminance(rgb):
    """BT.601 luma on the 0..255 scale (full range, no 16..235 offset)."""
    return rgb @ np.array([0.299, 0.587, 0.114])


def gaussian_kernel(size=11, sigma=1.5):
    x = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-(x * x) / (2.0 * sigma * sigma))
    return g / g.sum()  # 1-D and normalised: the 2-D window is its outer product, which sums to 1


def filter_valid(img, g):
    """2-D 'valid' filtering with the separable window g x g: rows, then columns. No padding, so
    the border never mixes in made-up pixels; the output is (H - k + 1) x (W - k + 1)."""
    k = len(g)
    h, w = img.shape
    rows = sum(g[i] * img[:, i:w - k + 1 + i] for i in range(k))
    return sum(g[i] * rows[i:h - k + 1 + i, :] for i in range(k))


def ssim(a, b, data_range=255.0, k1=0.01, k2=0.03):
    """Mean SSIM of two greyscale images (float arrays of equal shape), Wang et al. 2004, eq. 13."""
    if a.shape != b.shape:
        raise ValueError("SSIM needs equal sizes, got %s and %s" % (a.shape, b.shape))
    g = gaussian_kernel()
    if min(a.shape) < len(g):
        raise ValueError("SSIM needs at least %d pixels a side, got %s" % (len(g), a.shape))
    c1, c2 = (k1 * data_range) ** 2, (k2 * data_range) ** 2
    mu_a, mu_b = filter_valid(a, g), filter_valid(b, g)
    # Local (co)variances as E[xy] - E[x]E[y], in float64 so the cancellation stays harmless.
    var_a = filter_valid(a * a, g) - mu_a * mu_a
    var_b = filter_valid(b * b, g) - mu_b * mu_b
    cov = filter_valid(a * b, g) - mu_a * mu_b
    num = (2 * mu_a * mu_b + c1) * (2 * cov + c2)
    den = (mu_a * mu_a + mu_b * mu_b + c1) * (var_a + var_b + c2)
    return float(np.mean(num / den))


def wasserstein1(u, v):
    """Exact W1 between the empirical distributions of two 1-D samples of any sizes: the integral
    over t in (0, 1) of |Qu(t) - Qv(t)|, with Q the (step) quantile functions of the sorted
    samples. Both steps change only at multiples of 1/len, so the integral is a finite sum over the
    merged breakpoints."""
    u, v = np.sort(np.ravel(u)), np.sort(np.ravel(v))
    n, m = len(u), len(v)
    t = np.union1d(np.arange(1, n + 1) / n, np.arange(1, m + 1) / m)  # right ends, last is 1
    widths = np.diff(np.concatenate(([0.0], t)))
    mids = t - widths / 2  # inside each interval, away from the breakpoints' rounding
    qu = u[np.minimum((mids * n).astype(np.int64), n - 1)]
    qv = v[np.minimum((mids * m).astype(np.int64), m - 1)]
    return float(np.sum(widths * np.abs(qu - qv)))


def colour_distance(result, style):
    """Mean over R, G, B of the per-channel W1, in 8-bit levels. The sizes may differ (the style
    keeps its own aspect at gallery size): the distributions are compared, not the pixels."""
    return float(np.mean([wasserstein1(result[..., c], style[..., c]) for c in range(3)]))


def find_results(gallery):
    """{(content, style): {method: path}} for the plain results in the folder."""
    found = {}
    for name in sorted(os.listdir(gallery)):
        stem, ext = os.path.splitext(name)
        parts = stem.split("__")
        # Exactly three parts: __preserve and __masked results are not what this table measures.
        if ext != ".jpg" or len(parts) != 3 or not all(parts):
            continue
        c, s, method = parts
        found.setdefault((c, s), {})[method] = os.path.join(gallery, name)
    return found


def method_order(method):
    return (METHODS.index(method), "") if method in METHODS else (len(METHODS), method)


def main(argv):
    if len(argv) > 1 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(argv) < 2:
        print("usage: gallery_metrics.py GALLERY [CONTENT:STYLE ...]", file=sys.stderr)
        return 2
    gallery = argv[1]
    if not os.path.isdir(gallery):
        print("gallery_metrics: no folder %s" % gallery, file=sys.stderr)
        return 1
    found = find_results(gallery)
    if len(argv) > 2:
        pairs = [tuple(p.split(":", 1)) for p in argv[2:]]
        missing = [p for p in pairs if p not in found]
        if missing:
            print("gallery_metrics: no results for %s in %s"
                  % (", ".join("%s:%s" % p for p in missing), gallery), file=sys.stderr)
            return 1
    else:
        pairs = sorted(found)
    if not pairs:
        print("gallery_metrics: no CONTENT__STYLE__METHOD.jpg in %s" % gallery, file=sys.stderr)
        return 1

    print("| content | style | method | content SSIM (higher: more structure kept) "
          "| colour distance (lower: closer to the style) |")
    print("| --- | --- | --- | ---: | ---: |")
    for c, s in pairs:
        content_path, style_path = (os.path.join(gallery, x + ".jpg") for x in (c, s))
        for p in (content_path, style_path):
            if not os.path.isfile(p):
                print("gallery_metrics: %s missing (the input at gallery size)" % p, file=sys.stderr)
                return 1
        content, style = load_rgb(content_path), load_rgb(style_path)
        y_content = luminance(content)
        print("| %s | %s | (content as is) | %.3f | %.1f |"
              % (c, s, ssim(y_content, y_content), colour_distance(content, style)))
        for method in sorted(found[(c, s)], key=method_order):
            result = load_rgb(found[(c, s)][method])
            if result.shape != content.shape:
                print("gallery_metrics: %s is %dx%d, its content %dx%d"
                      % (found[(c, s)][method], result.shape[1], result.shape[0],
                         content.shape[1], content.shape[0]), file=sys.stderr)
                return 1
            print("| %s | %s | %s | %.3f | %.1f |"
                  % (c, s, method, ssim(luminance(result), y_content), colour_distance(result, style)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
