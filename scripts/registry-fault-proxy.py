#!/usr/bin/env python3
"""A small HTTP proxy in front of a real registry, for imageaudit's registry tests.

It forwards GET and HEAD to the upstream registry unchanged, and adds, when asked:
  --bearer USER:PASS  the bearer-token flow: 401 + WWW-Authenticate: Bearer realm=.../token,
                      service, scope; /token gives a token to basic USER:PASS only
  --identity-token T  POST /token also gives one for docker's OAuth2 form
                      grant_type=refresh_token&refresh_token=T (service, scope, client_id)
  --throttle-once     the first GET of each blob answers 429 with Retry-After: 1
  --cut-once          the first GET of each blob (no Range) sends half its bytes, then closes
  --cut DIGEST        every GET of that blob, ranges too, sends half its bytes, then closes
  --corrupt DIGEST    that blob's last byte is flipped (it no longer matches its digest)
  --slow DIGEST       that blob is sent 32 KiB at a time, 20 times a second (logged "slow"
                      when it starts), so a test can kill this process mid-blob
  --redirect PORT     blob GETs answer 307 to a second server on PORT, as a registry with blob
                      storage does; that server serves the blobs (the faults above apply there)
                      and logs "storage" lines with auth=yes|no: whether an Authorization came
Each request is logged to --log as one line: METHOD PATH RANGE STATUS.
"""
import argparse
import base64
import http.client
import http.server
import os
import secrets
import signal
import threading
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--listen", type=int, required=True)
parser.add_argument("--upstream", type=int, required=True)
parser.add_argument("--bearer")
parser.add_argument("--identity-token")
parser.add_argument("--throttle-once", action="store_true")
parser.add_argument("--cut-once", action="store_true")
parser.add_argument("--cut", action="append", default=[])
parser.add_argument("--corrupt", action="append", default=[])
parser.add_argument("--slow", action="append", default=[])
parser.add_argument("--redirect", type=int)
parser.add_argument("--log", required=True)
args = parser.parse_args()

lock = threading.Lock()
seen = set()
tokens = set()


def first_time(key):
    with lock:
        if key in seen:
            return False
        seen.add(key)
        return True


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The blob storage server of --redirect: no auth of its own, never redirects.
    storage = False

    def log_message(self, *_):
        pass

    def note(self, status):
        where = ""
        if self.storage:
            where = "storage auth=" + ("yes " if self.headers.get("Authorization") else "no ")
        with lock, open(args.log, "a", encoding="utf-8") as log:
            log.write(f"{where}{self.command} {self.path} {self.headers.get('Range', '-')} {status}\n")

    def reply(self, status, headers, body=b""):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.note(status)

    def authorised(self):
        if not args.bearer or self.storage:
            return True
        value = self.headers.get("Authorization", "")
        return value.startswith("Bearer ") and value[7:] in tokens

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        form = urllib.parse.parse_qs(body.decode())
        wanted = {"grant_type": ["refresh_token"], "refresh_token": [args.identity_token]}
        if self.path.split("?")[0] != "/token" or not args.identity_token or any(
                form.get(key) != value for key, value in wanted.items()) or "scope" not in form:
            return self.reply(401, [("Content-Type", "application/json")], b'{"error":"invalid_grant"}')
        token = secrets.token_hex(16)
        tokens.add(token)
        return self.reply(200, [("Content-Type", "application/json")], f'{{"access_token":"{token}"}}'.encode())

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/token":
            expected = "Basic " + base64.b64encode(args.bearer.encode()).decode()
            if self.headers.get("Authorization") != expected:
                return self.reply(401, [("WWW-Authenticate", 'Basic realm="token"')])
            token = secrets.token_hex(16)
            tokens.add(token)
            return self.reply(200, [("Content-Type", "application/json")], f'{{"token":"{token}"}}'.encode())
        if not self.authorised():
            parts = path.split("/")
            scope = "registry:catalog:*"
            if len(parts) > 3 and parts[-2] in ("manifests", "blobs", "list"):
                scope = "repository:" + "/".join(parts[2:-2]) + ":pull"
            port = self.server.server_address[1]
            challenge = f'Bearer realm="http://127.0.0.1:{port}/token",service="proxy",scope="{scope}"'
            return self.reply(401, [("WWW-Authenticate", challenge), ("Content-Type", "application/json")],
                              b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}')
        digest = path.rsplit("/", 1)[-1] if "/blobs/" in path else None
        if digest and args.redirect and not self.storage and self.command == "GET":
            # A signed URL, as S3 gives: the storage needs no registry credentials.
            location = f"http://127.0.0.1:{args.redirect}{path}?X-Signature={secrets.token_hex(8)}"
            return self.reply(307, [("Location", location)])
        if digest and args.throttle_once and self.command == "GET" and first_time(("429", path)):
            return self.reply(429, [("Retry-After", "1")])
        upstream = http.client.HTTPConnection("127.0.0.1", args.upstream, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "authorization", "connection")}
        upstream.request(self.command, self.path, headers=headers)
        response = upstream.getresponse()
        body = response.read() if self.command == "GET" else b""
        if digest in args.corrupt and body:
            body = body[:-1] + bytes([body[-1] ^ 0xFF])
        cut = digest and self.command == "GET" and response.status in (200, 206) and (
            digest in args.cut or (args.cut_once and response.status == 200 and first_time(("cut", path))))
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", response.getheader("Content-Length", str(len(body))))
        if cut:
            self.send_header("Connection", "close")
        self.end_headers()
        if digest in args.slow and self.command == "GET":
            self.note("slow")
            for start in range(0, len(body), 32 << 10):
                self.wfile.write(body[start:start + (32 << 10)])
                self.wfile.flush()
                time.sleep(0.05)
            self.note(response.status)
            return
        if cut:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.note("cut")
            self.close_connection = True
            return
        self.wfile.write(body)
        self.note(response.status)


# A parent that ignores SIGTERM passes that on; the tests stop the proxy with it.
signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
http.server.ThreadingHTTPServer.daemon_threads = True
if args.redirect:
    Storage = type("Storage", (Proxy,), {"storage": True})
    storage = http.server.ThreadingHTTPServer(("127.0.0.1", args.redirect), Storage)
    threading.Thread(target=storage.serve_forever, daemon=True).start()
http.server.ThreadingHTTPServer(("127.0.0.1", args.listen), Proxy).serve_forever()
