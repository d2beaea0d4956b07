"""Thin wrappers over the native C++ rules.

Bazel 4.2.3 ships the C++ rules natively; Debian's newer rules_cc does not load in it and the
upstream one cannot be downloaded offline. BUILD files load these names from
@rules_cc//cc:defs.bzl exactly as with upstream rules_cc, so they build unchanged there.
"""

def cc_binary(**attrs):
    native.cc_binary(**attrs)

def cc_library(**attrs):
    native.cc_library(**attrs)

def cc_test(**attrs):
    native.cc_test(**attrs)

def cc_proto_library(**attrs):
    native.cc_proto_library(**attrs)

def cc_import(**attrs):
    native.cc_import(**attrs)

def cc_toolchain(**attrs):
    native.cc_toolchain(**attrs)

def cc_toolchain_suite(**attrs):
    native.cc_toolchain_suite(**attrs)

def objc_library(**attrs):
    native.objc_library(**attrs)
