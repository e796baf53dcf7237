#!/usr/bin/env python3
"""Test extensions and clients for hostq's extension manager, written against stubs generated
from extensions/idl/extension.thrift (HQ_PYGEN) with Debian's python3-thrift. They behave like
the official SDKs: one persistent connection to the manager for registration and pings, and a
single-threaded TSimpleServer on <socket>.<uuid>.

  pyext.py ext --socket S [--timeout T] [--interval I] --name N --table T [--mode M] ...
  pyext.py query --socket S SQL       (prints the rows as JSON; exit 1 on status != 0)
  pyext.py call --socket S METHOD     (extensions | options | ping)
"""
import argparse
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.environ["HQ_PYGEN"])
from hostq_ext import Extension, ExtensionManager  # noqa: E402
from hostq_ext.ttypes import (ExtensionResponse, ExtensionStatus,  # noqa: E402
                              InternalExtensionInfo)
from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.server import TServer  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402


def connect(path, timeout=None):
    sock = TSocket.TSocket(unix_socket=path)
    if timeout:
        sock.setTimeout(timeout * 1000)
    trans = TTransport.TBufferedTransport(sock)
    proto = TBinaryProtocol.TBinaryProtocol(trans)
    client = ExtensionManager.Client(proto)
    trans.open()
    return client, trans


class Handler(Extension.Iface):
    def __init__(self, args):
        self.args = args
        self.calls = 0

    def ping(self):
        return ExtensionStatus(code=0, message="OK")

    def columns(self):
        cols = []
        for spec in self.args.columns.split(","):
            name, _, typ = spec.partition(":")
            cols.append({"id": "column", "name": name, "type": typ or "TEXT", "op": "0"})
        return cols

    def call(self, registry, item, request):
        a = self.args
        if registry == "table" and request.get("action") == "columns":
            return ExtensionResponse(status=ExtensionStatus(code=0, message="OK"),
                                     response=self.columns())
        if registry == "table" and request.get("action") == "generate":
            self.calls += 1
            if a.record:
                with open(a.record, "a") as f:
                    f.write(request.get("context", "<missing>") + "\n")
            if a.mode == "hang":
                time.sleep(3600)
            if a.mode == "die":
                os._exit(3)
            if a.mode == "fail":
                return ExtensionResponse(status=ExtensionStatus(code=1, message="generate failed on purpose"),
                                         response=[])
            rows = []
            for i in range(1, a.rows + 1):
                rows.append({"id": str(i), "name": "%s-%d" % (a.name, i),
                             "score": "%d.5" % i, "junk": "" if i % 2 else "x"})
            return ExtensionResponse(status=ExtensionStatus(code=0, message="OK"), response=rows)
        if registry == "logger" and a.log_file:
            with open(a.log_file, "a") as f:
                f.write(json.dumps(request, sort_keys=True) + "\n")
            return ExtensionResponse(status=ExtensionStatus(code=0, message="OK"), response=[])
        return ExtensionResponse(status=ExtensionStatus(code=1, message="Unknown action"), response=[])

    def shutdown(self):
        if self.args.shutdown_file:
            open(self.args.shutdown_file, "w").write("shutdown\n")
        threading.Timer(0.2, lambda: os._exit(0)).start()


def run_ext(a):
    deadline = time.time() + a.timeout
    while True:
        try:
            client, trans = connect(a.socket)
            client.ping()
            break
        except Exception:
            if time.time() > deadline:
                sys.exit(1 if a.verbose else 0)
            time.sleep(0.2)
    handler = Handler(a)
    registry = {"table": {a.table: handler.columns()}}
    if a.sdk == "go":
        registry.update({"config": {}, "logger": {}, "distributed": {}})
        info = InternalExtensionInfo(name=a.name, version="1.0", sdk_version="", min_sdk_version="")
    else:
        info = InternalExtensionInfo(name=a.name, version="1.0", sdk_version="3.0.7",
                                     min_sdk_version="1.8.0")
    if a.logger:
        registry["logger"] = {a.logger: []}
    status = client.registerExtension(info, registry)
    if status.code != 0:
        print("register failed: %s" % status.message, file=sys.stderr)
        sys.exit(1)
    uuid = status.uuid
    if a.uuid_file:
        open(a.uuid_file, "w").write("%d\n" % uuid)

    def pinger():
        while True:
            time.sleep(a.interval)
            try:
                st = client.ping()
                if st.code != 0:
                    os._exit(1)
            except Exception:
                os._exit(1)

    threading.Thread(target=pinger, daemon=True).start()
    path = "%s.%d" % (a.socket, uuid)
    if os.path.exists(path):
        os.unlink(path)
    server = TServer.TSimpleServer(Extension.Processor(handler),
                                   TSocket.TServerSocket(unix_socket=path),
                                   TTransport.TBufferedTransportFactory(),
                                   TBinaryProtocol.TBinaryProtocolFactory())
    server.serve()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("cmd")
    p.add_argument("rest", nargs="*")
    p.add_argument("--socket", required=True)
    p.add_argument("--timeout", type=int, default=3)
    p.add_argument("--interval", type=int, default=1)
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--name", default="pyext")
    p.add_argument("--table", default="py_table")
    p.add_argument("--columns", default="id:INTEGER,name:TEXT,score:DOUBLE,junk:INTEGER")
    p.add_argument("--rows", type=int, default=3)
    p.add_argument("--mode", default="normal")
    p.add_argument("--sdk", default="python")
    p.add_argument("--record")
    p.add_argument("--uuid-file")
    p.add_argument("--shutdown-file")
    p.add_argument("--logger")
    p.add_argument("--log-file")
    a = p.parse_intermixed_args()
    if a.cmd == "ext":
        run_ext(a)
    elif a.cmd == "query":
        client, trans = connect(a.socket, 30)
        r = client.query(a.rest[0])
        print(json.dumps(r.response, sort_keys=True))
        if r.status.code != 0:
            print(r.status.message, file=sys.stderr)
            sys.exit(1)
    elif a.cmd == "columns":
        client, trans = connect(a.socket, 30)
        r = client.getQueryColumns(a.rest[0])
        print(json.dumps(r.response))
        sys.exit(r.status.code)
    elif a.cmd == "call-mgr":
        # An extension reaching a core plugin through the manager's call().
        client, trans = connect(a.socket, 30)
        r = client.call(a.rest[0], a.rest[1], json.loads(a.rest[2]))
        print(json.dumps({"code": r.status.code, "message": r.status.message,
                          "response": r.response}, sort_keys=True))
    elif a.cmd == "call-ext":
        # Acts like the core: one short connection to an extension socket, one call.
        sock = TSocket.TSocket(unix_socket=a.socket)
        sock.setTimeout(30000)
        trans = TTransport.TBufferedTransport(sock)
        client = Extension.Client(TBinaryProtocol.TBinaryProtocol(trans))
        trans.open()
        r = client.call(a.rest[0], a.rest[1], json.loads(a.rest[2]))
        print(json.dumps({"code": r.status.code, "message": r.status.message,
                          "response": r.response}, sort_keys=True))
        trans.close()
    elif a.cmd == "call":
        client, trans = connect(a.socket, 30)
        m = a.rest[0]
        if m == "extensions":
            r = client.extensions()
            print(json.dumps({str(k): v.name for k, v in r.items()}, sort_keys=True))
        elif m == "options":
            print(json.dumps(sorted(client.options().keys())))
        elif m == "ping":
            st = client.ping()
            print(st.code, st.message)
        elif m == "deregister":
            st = client.deregisterExtension(int(a.rest[1]))
            print(st.code, st.message)


if __name__ == "__main__":
    main()
