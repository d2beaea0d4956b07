#!/usr/bin/env python3
"""The subset of grpcurl the recipes in docs/OPERATIONS.md use, on the generated Python
stubs: `grpcurl_standin.py [-plaintext] [-H header]... [-d JSON|@] ADDRESS pkg.Service/Method`.
Prints the answer as JSON like grpcurl; exits 1 with the status on stderr when the call
fails. integration_tests:ops_recipes_test runs the recipes' own command lines through it
(grpcurl itself is not packaged in Debian).

OMS_RECIPE_PORTS="50050=127.0.0.1:41234,50051=..." redirects the documented ports to a
suite started elsewhere. Server streams are read for OMS_RECIPE_STREAM_SECONDS (default 2)
and then end, as a person would press Ctrl-C after seeing the events.
"""

import importlib
import importlib.util
import os
import sys

import grpc
from google.protobuf import json_format, symbol_database

import oms


def load_all_stubs():
    # Importing the generated modules registers every message and service. The packages
    # have no __init__.py (namespace packages), so walk the files.
    for root in oms.__path__:
        for directory, _, files in os.walk(root):
            for name in files:
                if name.endswith("_pb2.py"):
                    relative = os.path.relpath(os.path.join(directory, name[:-3]),
                                               os.path.dirname(root))
                    importlib.import_module(relative.replace(os.sep, "."))
    # gRPC's health messages, generated apart (a top-level "grpc" package is grpcio's).
    here = os.path.dirname(os.path.abspath(__file__))
    for base in [here] + sys.path:
        path = os.path.join(base, "health_stubs", "grpc", "health", "v1", "health_pb2.py")
        if os.path.exists(path):
            spec = importlib.util.spec_from_file_location("oms_recipes_health_pb2", path)
            spec.loader.exec_module(importlib.util.module_from_spec(spec))
            break


def main(argv):
    headers, data, positional, plaintext = [], None, [], False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "-plaintext":
            plaintext = True
        elif arg == "-H":
            i += 1
            name, _, value = argv[i].partition(":")
            headers.append((name.strip().lower(), value.strip()))
        elif arg == "-d":
            i += 1
            data = argv[i]
        elif arg.startswith("-"):
            sys.exit("grpcurl stand-in: unsupported option " + arg)
        else:
            positional.append(arg)
        i += 1
    if len(positional) != 2:
        sys.exit("usage: grpcurl_standin.py [-plaintext] [-H h] [-d json|@] ADDRESS Service/Method")
    address, full_method = positional
    if not plaintext:
        sys.exit("grpcurl stand-in: only -plaintext (loopback) is supported")
    port = address.rsplit(":", 1)[1]
    redirects = dict(p.split("=", 1) for p in os.environ.get("OMS_RECIPE_PORTS", "").split(",") if p)
    address = redirects.get(port, address)
    if data == "@":
        data = sys.stdin.read()

    load_all_stubs()
    service_name, method_name = full_method.split("/")
    pool = symbol_database.Default().pool
    method = pool.FindServiceByName(service_name).FindMethodByName(method_name)
    db = symbol_database.Default()
    request = db.GetSymbol(method.input_type.full_name)()
    response_class = db.GetSymbol(method.output_type.full_name)
    if data:
        json_format.Parse(data, request)
    channel = grpc.insecure_channel(address)
    path = "/%s/%s" % (service_name, method_name)
    try:
        if method.server_streaming:
            call = channel.unary_stream(path, request_serializer=type(request).SerializeToString,
                                        response_deserializer=response_class.FromString)
            seconds = float(os.environ.get("OMS_RECIPE_STREAM_SECONDS", "2"))
            try:
                for message in call(request, metadata=headers, timeout=seconds):
                    print(json_format.MessageToJson(message))
            except grpc.RpcError as e:
                if e.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
                    raise
        else:
            call = channel.unary_unary(path, request_serializer=type(request).SerializeToString,
                                       response_deserializer=response_class.FromString)
            print(json_format.MessageToJson(call(request, metadata=headers, timeout=10)))
    except grpc.RpcError as e:
        print("ERROR:\n  Code: %s\n  Message: %s" % (e.code().name, e.details()), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
