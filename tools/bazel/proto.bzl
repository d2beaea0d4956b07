"""Compiles .proto files with the system protoc and grpc_cpp_plugin into a cc_library.

Bazel 4's native proto rules need protobuf built from source, which cannot be downloaded on
these machines. Every proto is compiled with the same include root (`protos/` for ours,
Debian's grpc-proto tree for gRPC's own), so imports resolve identically in protoc and C++.
"""

load("@rules_cc//cc:defs.bzl", "cc_library")

def oms_cc_proto(name, srcs, deps = [], grpc = True, headers_only_for = None, visibility = None):
    """Generates `name` (a cc_library) from `srcs`.

    Args:
      name: the cc_library to create.
      srcs: .proto labels; each path below its include root names the generated files
        (e.g. "oms/order/v1/order.proto" or "@grpc_proto//:grpc/health/v1/health.proto").
      deps: oms_cc_proto targets whose protos these import.
      grpc: also generate gRPC service stubs.
      headers_only_for: a library that already contains this generated code (gRPC's own
        reflection library does); only the headers are used, so the descriptors are not
        registered twice.
      visibility: of the cc_library.
    """
    outs = []
    hdrs = []
    for src in srcs:
        stem = src.split(":")[-1][:-len(".proto")]
        kinds = [".pb"] + ([".grpc.pb"] if grpc else [])
        for kind in kinds:
            outs.append(stem + kind + ".cc")
            hdrs.append(stem + kind + ".h")
            outs.append(stem + kind + ".h")
    out_root = "$(GENDIR)/" + native.package_name()

    # Only the roots that exist in the sandbox: protoc warns about a missing -I directory.
    # The output root always exists; the source root only when a source proto is an input
    # (gRPC's health and reflection protos come from elsewhere).
    roots = ["$(GENDIR)/protos"]
    if [s for s in srcs if not s.startswith("@") and not s.startswith(":")] or deps:
        roots.insert(0, "protos")
    if [s for s in srcs if s.startswith("@grpc_proto//")]:
        roots.append("external/grpc_proto")
    flags = " ".join(["-I" + root for root in roots])
    grpc_flags = ""
    if grpc:
        grpc_flags = ("--plugin=protoc-gen-grpc=$$(command -v grpc_cpp_plugin) " +
                      "--grpc_out=" + out_root)
    native.genrule(
        name = name + "_gen",
        srcs = srcs + [d + "_srcs" for d in deps],
        outs = outs,
        cmd = "protoc %s --cpp_out=%s %s $(SRCS_TO_COMPILE)".replace(
            "$(SRCS_TO_COMPILE)",
            " ".join(["$(location %s)" % s for s in srcs]),
        ) % (flags, out_root, grpc_flags),
        message = "protoc " + name,
    )
    native.filegroup(name = name + "_srcs", srcs = srcs + [d + "_srcs" for d in deps])
    pb_srcs = [o for o in outs if o.endswith(".pb.cc") and not o.endswith(".grpc.pb.cc")]
    grpc_srcs = [o for o in outs if o.endswith(".grpc.pb.cc")]
    cc_library(
        name = name,
        srcs = [] if headers_only_for else pb_srcs,
        hdrs = [h for h in hdrs if not h.endswith(".grpc.pb.h")],
        includes = ["."],
        # Generated code is not ours to warn about.
        copts = ["-w"],
        # Keep every descriptor in the binary even when no code names its messages: server
        # reflection must be able to describe them.
        alwayslink = not headers_only_for,
        deps = deps + [headers_only_for or "@system//:protobuf"],
        visibility = visibility,
    )
    if grpc:
        # The service stubs apart, so code that only uses the messages does not link gRPC.
        cc_library(
            name = name[:-len("_cc_proto")] + "_cc_grpc" if name.endswith("_cc_proto") else name + "_grpc",
            srcs = [] if headers_only_for else grpc_srcs,
            hdrs = [h for h in hdrs if h.endswith(".grpc.pb.h")],
            includes = ["."],
            copts = ["-w"],
            alwayslink = not headers_only_for,
            deps = [":" + name, headers_only_for or "@system//:grpc"],
            visibility = visibility,
        )
