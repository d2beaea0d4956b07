"""Adds a Bazel dep to the target whose srcs or hdrs hold a file: add_dep.py FILE DEP...

A helper for mechanical restructurings (moving a library, splitting a target): finds the
rule in FILE's package BUILD.bazel that lists FILE and appends each DEP not already there.
"""
import os
import re
import shutil
import subprocess
import sys


def add_dep(path, dep):
    package = os.path.dirname(path)
    while not os.path.exists(os.path.join(package, "BUILD.bazel")):
        package = os.path.dirname(package)
    build = os.path.join(package, "BUILD.bazel")
    name = os.path.relpath(path, package)
    if dep.startswith(f"//{package}:"):
        dep = dep[len(f"//{package}"):]
    text = open(build).read()
    for rule in re.finditer(r"\n(cc_library|cc_test|cc_binary)\((.*?)\n\)", text, re.S):
        body = rule.group(2)
        if f'"{name}"' not in body:
            continue
        if f'"{dep}"' in body:
            return
        if "deps = [" in body:
            new_body = body.replace("deps = [", f'deps = [\n        "{dep}",', 1)
        else:
            new_body = body + f'\n    deps = ["{dep}"],'
        text = text[: rule.start(2)] + new_body + text[rule.end(2):]
        open(build, "w").write(text)
        # Keep the file as buildifier_test wants it (deps sorted, one per line).
        if shutil.which("buildifier"):
            subprocess.run(["buildifier", build], check=True)
        return
    sys.exit(f"no rule in {build} lists {name}")


if __name__ == "__main__":
    for d in sys.argv[2:]:
        add_dep(sys.argv[1], d)
