"""oms_fuzz_target: one libFuzzer target, usable in both builds.

  * `name`: the fuzzer. With --config=fuzz (clang, --define=fuzz=libfuzzer) it links
    libFuzzer; in the ordinary build it links //fuzz:replay_main instead.
  * `name_corpus_test`: replays every file of fuzz/corpus/<name>/ (a regression test in
    `bazel test //...`; a crash input saved there stays fixed).
  * `name_smoke`: runs the libFuzzer build for a few seconds from that corpus (manual; run by
    `./oms test` with --config=fuzz).
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_test")

def oms_fuzz_target(name, srcs, deps):
    corpus = native.glob(["corpus/%s/**" % name])
    cc_binary(
        name = name,
        srcs = srcs,
        deps = deps + select({
            "//fuzz:libfuzzer": [],
            "//conditions:default": ["//fuzz:replay_main"],
        }),
        linkopts = select({
            "//fuzz:libfuzzer": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
    )
    cc_test(
        name = name + "_corpus_test",
        srcs = srcs,
        deps = deps + ["//fuzz:replay_main"],
        data = corpus,
        args = ["fuzz/corpus/" + name],
    )
    native.sh_test(
        name = name + "_smoke",
        srcs = ["run_fuzzer.sh"],
        args = ["$(location :%s)" % name, "fuzz/corpus/" + name],
        data = [":" + name] + corpus,
        tags = ["manual", "fuzz"],
    )
