#!/usr/bin/env python3
"""Derives Lifeboat's per-service wire tables from botocore's public service models.

For each service it writes server/src/main/resources/io/lifeboat/edge/model/<service>.json with
facts only (no documentation text): protocol, API version, XML namespace, JSON target prefix, and per
operation the HTTP method, request URI, success status and the input constraint tree (required,
length/range limits, patterns, enums); per error shape its wire code and HTTP status.

Run it when a service is added:  python3 tools/gen-service-tables.py backup iam sts kms ec2
"""
import json
import os
import sys

import botocore.loaders

OUT = os.path.join(os.path.dirname(__file__), "..", "server", "src", "main", "resources",
                   "io", "lifeboat", "edge", "model")

# Error shapes that botocore does not give a status for: AWS sends these as 5xx.
SERVER_FAULTS = {"ServiceUnavailableException", "DependencyFailureException", "InternalFailure",
                 "KMSInternalException", "ServiceFailure", "InternalErrorException", "ServiceException"}


def tree(shapes, name, stack):
    shape = shapes[name]
    t = shape["type"]
    node = {"type": t}
    for k in ("min", "max", "pattern", "enum"):
        if k in shape:
            node[k] = shape[k]
    if name in stack:
        return node
    stack = stack | {name}
    if t == "structure":
        req = set(shape.get("required", []))
        members = {}
        for m, ref in shape.get("members", {}).items():
            child = tree(shapes, ref["shape"], stack)
            if m in req:
                child = dict(child, required=True)
            members[m] = child
        node["members"] = members
    elif t == "list":
        node["member"] = tree(shapes, shape["member"]["shape"], stack)
    elif t == "map":
        node["key"] = tree(shapes, shape["key"]["shape"], stack)
        node["value"] = tree(shapes, shape["value"]["shape"], stack)
    return node


# EC2 has hundreds of operations: its table keeps every name (so an unimplemented one is answered
# as such) but the input constraints only of those Lifeboat serves.
EC2_SERVED = {"RunInstances", "DescribeInstances", "DescribeInstanceStatus", "StartInstances", "StopInstances",
              "TerminateInstances", "CreateTags", "DeleteTags", "DescribeTags", "CreateVolume",
              "DescribeVolumes", "AttachVolume", "DetachVolume", "DeleteVolume", "DescribeImages",
              "DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups", "DescribeRegions",
              "DescribeAvailabilityZones"}


def table(service):
    model = botocore.loaders.Loader().load_service_model(service, "service-2")
    meta, shapes = model["metadata"], model["shapes"]
    ops = {}
    for name, op in sorted(model["operations"].items()):
        http = op.get("http", {})
        entry = {"method": http.get("method", "POST"), "uri": http.get("requestUri", "/"),
                 "status": http.get("responseCode", 200)}
        if "input" in op and (service != "ec2" or name in EC2_SERVED):
            entry["input"] = tree(shapes, op["input"]["shape"], frozenset())
        if "output" in op and "resultWrapper" in op["output"]:
            entry["resultWrapper"] = op["output"]["resultWrapper"]
        ops[name] = entry
    errors = {}
    for name, shape in sorted(shapes.items()):
        if shape.get("exception") or "error" in shape:
            err = shape.get("error", {})
            default = 500 if name in SERVER_FAULTS else 400
            errors[name] = {"code": err.get("code", name), "status": err.get("httpStatusCode", default),
                            "sender": err.get("senderFault", default < 500)}
    return {"service": service, "protocol": meta["protocol"], "apiVersion": meta["apiVersion"],
            "xmlNamespace": meta.get("xmlNamespace"), "targetPrefix": meta.get("targetPrefix"),
            "signingName": meta.get("signingName", meta["endpointPrefix"]),
            "operations": ops, "errors": errors}


def main(services):
    os.makedirs(OUT, exist_ok=True)
    for s in services:
        path = os.path.join(OUT, s + ".json")
        with open(path, "w") as f:
            json.dump(table(s), f, separators=(",", ":"), sort_keys=True)
            f.write("\n")
        print(path, os.path.getsize(path))


if __name__ == "__main__":
    main(sys.argv[1:] or ["backup", "iam", "sts", "kms", "ec2"])
