#!/usr/bin/env python3
"""No source file over 600 lines and no function over 80 (docs/ARCHITECTURE.md, "Sizes").

Checks every C++, Python and shell file under src/, tests/, bench/, tools/ and scripts/, tests
included (functions in C++ only). A function is a body
opened at namespace or class level (or inside extern "C") after a signature that ends in ")" and
its qualifiers, or a TEST-like macro; its length counts the lines from its signature's "{" to its
"}". Lambdas and initialiser lists inside a body count towards that body.
  scripts/check_sizes.py          lists what is too long and fails
  scripts/check_sizes.py --top N  also prints the N longest functions
"""
import os
import re
import subprocess
import sys

MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80
SOURCES = ("src", "tests", "bench", "tools", "scripts")
CPP = (".cpp", ".h", ".cu", ".inc")
SCOPE_WORDS = re.compile(r"\b(namespace|class|struct|union|enum)\b[^()]*$")
EXTERN_C = re.compile(r'extern\s+"C"\s*$')
# ")" then what may follow a signature: const, noexcept, override, final, -> type, : initialisers.
SIGNATURE_END = re.compile(r"\)\s*(const|noexcept|override|final|mutable|\s|->\s*[\w:<>,\s*&]+)*$")


def source_files(root):
    try:
        out = subprocess.run(["git", "ls-files", "--", *SOURCES], cwd=root, check=True,
                             capture_output=True, text=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):  # an exported tree without .git
        out = [os.path.relpath(os.path.join(d, f), root) for s in SOURCES
               for d, _, fs in os.walk(os.path.join(root, s)) for f in fs]
    return sorted(p for p in out if p.endswith(CPP + (".py", ".sh")) and "/corpus/" not in p)


def code_only(text):
    """The text with comments, string and character literals blanked (newlines kept)."""
    pattern = re.compile(r'//[^\n]*|/\*.*?\*/|R"(\w*)\(.*?\)\1"|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def is_function_head(head):
    """Whether the text before a "{" at namespace/class level opens a function body."""
    head = head.strip()
    if not head or SCOPE_WORDS.search(head) or EXTERN_C.search(head) or head.endswith("="):
        return False
    # A constructor's initialiser list ends in ")" or "}" of its last member.
    head = re.sub(r"\)\s*:\s*[\w:]+\s*[({].*$", ")", head, flags=re.S)
    return bool(SIGNATURE_END.search(head))


def functions(code):
    """(first line, last line, signature) of each function body, 1-based."""
    found = []
    stack = []  # one entry per open brace: "scope" (namespace, class, extern "C") or "body"
    head_start = 0
    i = 0
    line = 1
    body_start = None
    while i < len(code):
        c = code[i]
        if c == "\n":
            line += 1
        elif c in ";}" and all(k == "scope" for k in stack):
            if c == "}":
                stack.pop() if stack else None
            head_start = i + 1
        elif c == "}":
            kind = stack.pop()
            if kind == "body" and all(k == "scope" for k in stack):
                first, sig = body_start
                found.append((first, line, sig))
                head_start = i + 1
        elif c == "{":
            if all(k == "scope" for k in stack):
                head = code[head_start:i]
                if is_function_head(head):
                    stack.append("body")
                    body_start = (line, " ".join(head.split())[-90:])
                else:
                    stack.append("scope")
                    head_start = i + 1
            else:
                stack.append("inner")
        i += 1
    return found


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 0
    problems, lengths = [], []
    files = source_files(root)
    for path in files:
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            text = f.read()
        lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        if lines > MAX_FILE_LINES:
            problems.append(f"{path}: {lines} lines (at most {MAX_FILE_LINES})")
        for first, last, sig in functions(code_only(text)) if path.endswith(CPP) else []:
            length = last - first + 1
            lengths.append((length, f"{path}:{first}: {sig}"))
            if length > MAX_FUNCTION_LINES:
                problems.append(f"{path}:{first}: a function of {length} lines (at most {MAX_FUNCTION_LINES}): {sig}")
    for length, where in sorted(lengths, reverse=True)[:top]:
        print(f"{length:4d} {where}")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check_sizes: {len(problems)} file(s) or function(s) too long", file=sys.stderr)
        return 1
    print(f"check_sizes: {len(files)} files, {len(lengths)} functions: none over {MAX_FILE_LINES} lines a file "
          f"or {MAX_FUNCTION_LINES} a function")
    return 0


if __name__ == "__main__":
    sys.exit(main())
