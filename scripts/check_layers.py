#!/usr/bin/env python3
"""The layers of src/ (docs/ARCHITECTURE.md): each folder may include only the folders listed for
it here, all of them below it. Fails, naming the file, the line and the layer it reaches, on an
include that points elsewhere (up, or sideways into a layer it does not link), and on a source
folder this table does not know. Run by ctest (source_layers) and by hand:
    scripts/check_layers.py [--graph]     # --graph: print which layer includes which
"""
import os
import re
import sys

CORE = ["base", "image", "imageio", "methods", "synthesis", "nets", "stylize"]
# Each layer and the layers it may include (its own folder is always allowed).
MAY_INCLUDE = {
    "base": [],
    "image": ["base"],
    "imageio": ["base", "image"],
    "methods": ["base", "image"],
    "synthesis": ["base", "image", "methods"],
    "nets": ["base", "image", "imageio", "methods"],
    "stylize": ["base", "image", "imageio", "methods", "synthesis", "nets"],
    "video": ["base", "image", "imageio"],
    "cli": CORE + ["video"],
    "display/interop": ["base"],
    "display": ["base", "image", "methods", "display/interop"],
    "viewer/state": CORE,
    "viewer/io": CORE,
    "viewer/video": CORE + ["video"],
    "viewer/pipeline": CORE + ["video", "viewer/state"],
    "viewer/ui": CORE + ["video", "display", "viewer/state", "viewer/io", "viewer/video", "viewer/pipeline"],
    "viewer/app": CORE + ["video", "display", "viewer/state", "viewer/io", "viewer/video", "viewer/pipeline",
                          "viewer/ui"],
}
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def layer_of(path):
    """The layer of a src-relative path: the longest MAY_INCLUDE key that is a folder prefix."""
    folder = os.path.dirname(path)
    best = None
    for name in MAY_INCLUDE:
        if folder == name or folder.startswith(name + "/"):
            if best is None or len(name) > len(best):
                best = name
    return best


def main():
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    src = os.path.normpath(src)
    problems, graph = [], {}
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".h", ".cpp")):
                continue
            rel = os.path.relpath(os.path.join(root, name), src)
            layer = layer_of(rel)
            if layer is None:
                problems.append("%s: in no layer (scripts/check_layers.py, MAY_INCLUDE)" % rel)
                continue
            text = open(os.path.join(root, name), encoding="utf-8").read()
            for match in INCLUDE.finditer(text):
                target = match.group(1)
                target_layer = layer_of(target)
                if target_layer is None or target_layer == layer:
                    continue  # the folder's own headers, generated ones (base/version.h) or local
                graph.setdefault(layer, set()).add(target_layer)
                if target_layer not in MAY_INCLUDE[layer]:
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append('%s:%d: includes "%s": %s may not include %s' %
                                    ("src/" + rel, line, target, layer, target_layer))
    if "--graph" in sys.argv:
        for layer in MAY_INCLUDE:
            print("%-16s -> %s" % (layer, " ".join(sorted(graph.get(layer, [])))))
    for p in problems:
        print(p)
    if problems:
        print("check_layers: %d include(s) against the layers (docs/ARCHITECTURE.md)" % len(problems))
        return 1
    print("check_layers: every include points to a layer below")
    return 0


if __name__ == "__main__":
    sys.exit(main())
