#!/usr/bin/env python3
"""Source size limits: no C++ source file over 500 lines, no function over 80 lines, tests
excepted. Prints the largest file and the longest function either way, then every one over
its limit; exits 1 if there is one.

    python3 tools/code_size/code_size.py [repo root]

Functions are found from braces: a body opened at namespace level (not a class, struct,
enum, namespace or a `= {` table) runs to its matching brace. Braces in strings, character
literals and comments are skipped. Good enough for clang-formatted code, which this is.
"""
import os
import re
import sys

MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 80
SKIP_DIRS = {".git", "node_modules", "var", "third_party"}
NOT_A_FUNCTION = re.compile(r"^\s*(template\s*<.*>\s*)?(namespace|class|struct|enum|union|extern)\b")


def is_test(path):
    name = os.path.basename(path)
    return (name.endswith("_test.cc") or "/testing/" in path or path.startswith("integration_tests/")
            or path.startswith("fuzz/"))


def sources(root):
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith("bazel-")]
        for name in files:
            if name.endswith((".cc", ".h")):
                path = os.path.relpath(os.path.join(folder, name), root)
                if not is_test(path):
                    yield path


def strip_literals(text):
    """The text with comments, strings and char literals blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path, text):
    """(lines, first line, name) of each function body opened at namespace level."""
    code = strip_literals(text)
    found = []
    depth = 0  # braces that are not namespaces
    stack = []  # per open brace: counts toward depth?
    line = 1
    start_line = 0
    statement = ""  # text since the last ; { or } at this level
    for c in code:
        if c == "\n":
            line += 1
        if c == "{":
            head = statement.strip()
            is_namespace = re.search(r"\b(namespace|extern\s*\"\")\b[^;{}]*$", head) is not None
            counts = not is_namespace
            if counts and depth == 0:
                if not NOT_A_FUNCTION.search(head) and not head.endswith("=") and "(" in head:
                    start_line = line - head.count("\n")
                    name = re.sub(r"\s+", " ", head.split("(")[0]).split(" ")[-1]
                    stack.append(("function", name, start_line))
                else:
                    stack.append(("other", "", line))
            else:
                stack.append(("namespace" if is_namespace else "inner", "", line))
            if counts:
                depth += 1
            statement = ""
        elif c == "}":
            if stack:
                kind, name, first = stack.pop()
                if kind != "namespace":
                    depth -= 1
                if kind == "function":
                    found.append((line - first + 1, first, name))
            statement = ""
        elif c == ";":
            statement = ""
        else:
            statement += c
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
    files, funcs = [], []
    for path in sorted(sources(root)):
        with open(os.path.join(root, path), encoding="utf-8") as f:
            text = f.read()
        files.append((text.count("\n"), path))
        funcs.extend((n, "%s:%d %s" % (path, first, name)) for n, first, name in functions(path, text))
    files.sort(reverse=True)
    funcs.sort(reverse=True)
    print("code size: %d source files; largest %s (%d lines, limit %d)" %
          (len(files), files[0][1], files[0][0], MAX_FILE_LINES))
    print("code size: %d functions; longest %s (%d lines, limit %d)" %
          (len(funcs), funcs[0][1], funcs[0][0], MAX_FUNCTION_LINES))
    over = ["file over %d lines: %s (%d)" % (MAX_FILE_LINES, p, n) for n, p in files
            if n > MAX_FILE_LINES]
    over += ["function over %d lines: %s (%d)" % (MAX_FUNCTION_LINES, where, n) for n, where in funcs
             if n > MAX_FUNCTION_LINES]
    for problem in over:
        print("code size: " + problem)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
