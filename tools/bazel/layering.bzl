"""oms_grpc_free_test: a package's domain libraries never link gRPC.

Only the service adapters (*_service, *_access), the peers' gRPC clients and the binaries
may; the concepts and stores below them stay plain C++ over the storage interface. The
test fails with the dependency path when one of `libraries` reaches gRPC.
"""

def oms_grpc_free_test(name, libraries):
    # The query language does not resolve ":name" against the calling package.
    absolute = ["//%s%s" % (native.package_name(), label) if label.startswith(":") else label for label in libraries]
    native.genquery(
        name = name + "_paths",
        expression = "somepath(set(%s), @system//:grpc)" % " ".join(absolute),
        scope = libraries + ["@system//:grpc"],
        testonly = True,
    )
    native.sh_test(
        name = name,
        srcs = ["//tools/bazel:empty_query_test.sh"],
        args = ["$(location :%s_paths)" % name],
        data = [":%s_paths" % name],
    )
