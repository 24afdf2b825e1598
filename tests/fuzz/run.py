"""The API fuzz run: the real `barta serve` on loopback over a fresh data directory, a small
newsroom made with the real admin commands and the API, then schemathesis against
`/openapi.json` with every check on, a fixed seed and a time budget. Exits non-zero on any
finding (a 5xx, an answer the OpenAPI document does not allow, an authorization leak) and on
any internal error in the server's log.

Called by scripts/fuzz-api, which installs schemathesis and builds `barta` first:

    run.py --barta target/debug/barta --schemathesis .venv-fuzz/bin/schemathesis --out DIR

Standard library only (it runs before and beside schemathesis's virtualenv).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HOOKS = Path(__file__).resolve().parent / "hooks.py"

# Fixed ids, so that a run with the same seed fuzzes the same objects.
ARTICLE_PUBLISHED = "0190f5a0-0000-7000-8000-000000000001"
ARTICLE_DRAFT = "0190f5a0-0000-7000-8000-000000000002"
ARTICLE_SPORTS = "0190f5a0-0000-7000-8000-000000000003"
REV_PUBLISHED_1 = "0190f5a0-0000-7000-8000-0000000000a1"
REV_PUBLISHED_2 = "0190f5a0-0000-7000-8000-0000000000a2"
REV_DRAFT = "0190f5a0-0000-7000-8000-0000000000b1"
REV_SPORTS = "0190f5a0-0000-7000-8000-0000000000c1"
COMMENT = "0190f5a0-0000-7000-8000-0000000000d1"

# The newsroom: (username, role, desks, password). The first user is the one schemathesis
# calls with; the two editors are "peers" that must never see each other's desk.
USERS = [
    ("nasrin", "editor", ["national"], "fuzz-editor-pass"),
    ("rahim", "reporter", ["national"], "fuzz-reporter-pass"),
    ("sohel", "editor", ["sports"], "fuzz-sports-pass"),
]
PEERS = ["nasrin", "sohel"]

# A 1×1 PNG, uploaded completely so that `GET /v1/media/{sha256}` has a photo to serve.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def say(text: str) -> None:
    print(f"\033[1m==> {text}\033[0m", flush=True)


def jcs(value: object) -> str:
    """RFC 8785 canonical JSON for the plain values this script sends (sorted ASCII keys,
    integers and strings only)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_sha256(meta: dict, body: dict) -> str:
    return hashlib.sha256(jcs({"body": body, "meta": meta}).encode()).hexdigest()


class Api:
    """Just enough of an HTTP client to build the newsroom."""

    def __init__(self, base: str) -> None:
        self.base = base

    def call(self, method, path, token=None, body=None, headers=None, expect=(200, 201, 204)):
        data = None
        all_headers = dict(headers or {})
        if isinstance(body, bytes):
            data = body
        elif body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, text, answer_headers = resp.status, resp.read().decode(), resp.headers
        except urllib.error.HTTPError as e:
            status, text, answer_headers = e.code, e.read().decode(), e.headers
        if status not in expect:
            raise RuntimeError(f"setup: {method} {path} answered {status}: {text}")
        return (json.loads(text) if text else None), answer_headers

    def login(self, username: str, password: str) -> str:
        answer, _ = self.call("POST", "/v1/session", body={"username": username, "password": password})
        return answer["token"]

    def push(self, token, article, rev, parent, desk, headline, paragraphs):
        meta = {"headline": headline, "desk": desk}
        body = {
            "type": "doc",
            "content": [
                {"type": "paragraph", "attrs": {"id": block}, "content": [{"type": "text", "text": text}]}
                for block, text in paragraphs
            ],
        }
        push = {
            "id": rev,
            "parent": parent,
            "meta": meta,
            "body": body,
            "sha256": content_sha256(meta, body),
            "created_at": "2025-08-01T10:00:00+06:00",
        }
        headers = {"Idempotency-Key": rev}
        if parent:
            headers["If-Match"] = f'"{parent}"'
        self.call("POST", f"/v1/articles/{article}/revisions", token, push, headers, expect=(201,))
        return push["sha256"]


def admin(barta: str, data: Path, args: list[str], stdin: str | None = None) -> None:
    subprocess.run(
        [barta, *args, "--data", str(data)], input=stdin, text=True, check=True, capture_output=True
    )


def start_server(barta: str, data: Path, log: Path) -> tuple[subprocess.Popen, str]:
    log_file = open(log, "w")
    # Login throttling off in effect: thousands of generated logins come from one address, and
    # schemathesis counts a 429 to a valid request as a refusal (and its own re-login would be
    # throttled). Throttling has its own tests (crates/barta-server/tests/accounts.rs).
    unthrottled = ["--login-failures-per-account", "1000000", "--login-failures-per-address", "1000000"]
    proc = subprocess.Popen(
        [barta, "serve", "--listen", "127.0.0.1:0", "--data", str(data), *unthrottled],
        stdout=subprocess.PIPE,
        stderr=log_file,
        text=True,
        env={**os.environ, "RUST_LOG": "warn", "NO_COLOR": "1"},
        start_new_session=True,
    )
    line = proc.stdout.readline().strip() if proc.stdout else ""
    if not line.startswith("listening on "):
        proc.kill()
        raise RuntimeError(f"barta serve did not start ({line!r}); see {log}")
    return proc, line.removeprefix("listening on ")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def build_newsroom(barta: str, data: Path, api_base: str | None = None) -> None:
    admin(barta, data, ["desk", "add", "national", "--name", "জাতীয়"])
    admin(barta, data, ["desk", "add", "sports", "--name", "খেলা"])
    for username, role, desks, password in USERS:
        desk_args = [arg for desk in desks for arg in ("--desk", desk)]
        admin(barta, data, ["user", "add", username, "--role", role, *desk_args, "--password-stdin"], password + "\n")


def start_upload(api: Api, token: str, sha256: str, length: int) -> str:
    meta = "sha256 {},content-type {}".format(
        base64.b64encode(sha256.encode()).decode(), base64.b64encode(b"image/png").decode()
    )
    upload, _ = api.call("POST", "/v1/media", token, headers={"Upload-Length": str(length), "Upload-Metadata": meta})
    return upload["id"]


def send_chunk(api: Api, token: str, upload: str, offset: int, chunk: bytes) -> None:
    headers = {"Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset)}
    api.call("PATCH", f"/v1/media/{upload}", token, chunk, headers)


def seed_articles(api: Api) -> dict[str, list[str]]:
    """Objects for path parameters to hit: a published article, a draft with a comment,
    another desk's article, a photo."""
    tokens = {name: api.login(name, password) for name, _, _, password in USERS}
    reporter, editor, sports = tokens["rahim"], tokens["nasrin"], tokens["sohel"]

    api.push(reporter, ARTICLE_PUBLISHED, REV_PUBLISHED_1, None, "national", "ঢাকায় বৃষ্টি", [("b1", "আজ সকাল থেকে বৃষ্টি।")])
    sha = api.push(
        reporter,
        ARTICLE_PUBLISHED,
        REV_PUBLISHED_2,
        REV_PUBLISHED_1,
        "national",
        "ঢাকায় বৃষ্টি",
        [("b1", "আজ সকাল থেকে বৃষ্টি।"), ("b2", "Traffic is slow.")],
    )
    api.call("POST", f"/v1/articles/{ARTICLE_PUBLISHED}/transitions", reporter, {"action": "submit", "rev_id": REV_PUBLISHED_2})
    approval, _ = api.call(
        "POST",
        f"/v1/articles/{ARTICLE_PUBLISHED}/approve",
        editor,
        {"rev_id": REV_PUBLISHED_2, "sha256": sha},
        {"If-Match": f'"{REV_PUBLISHED_2}"'},
    )
    published, _ = api.call(
        "POST", f"/v1/articles/{ARTICLE_PUBLISHED}/publish", editor, {"approval_id": approval["approval_id"]}
    )

    api.push(reporter, ARTICLE_DRAFT, REV_DRAFT, None, "national", "খসড়া", [("b1", "প্রথম অনুচ্ছেদ")])
    api.call(
        "PUT",
        f"/v1/articles/{ARTICLE_DRAFT}/comments/{COMMENT}",
        editor,
        {
            "anchor": {"block_id": "b1", "start": 0, "end": 5, "quote": "প্রথম"},
            "body": "উৎস কে?",
            "created_at": "2025-08-01T10:05:00+06:00",
        },
    )
    api.push(sports, ARTICLE_SPORTS, REV_SPORTS, None, "sports", "খেলার খবর", [("b1", "Dhaka won.")])

    # The editor's photo, complete, and an upload of theirs with one byte of 16 sent.
    photo_sha = hashlib.sha256(PNG).hexdigest()
    upload = start_upload(api, editor, photo_sha, len(PNG))
    send_chunk(api, editor, upload, 0, PNG)
    partial = start_upload(api, editor, hashlib.sha256(b"\x89PNG-partial-16").hexdigest(), 16)
    send_chunk(api, editor, partial, 0, b"\x89")
    return {
        "articles": [ARTICLE_PUBLISHED, ARTICLE_DRAFT, ARTICLE_SPORTS],
        "revisions": [REV_PUBLISHED_1, REV_PUBLISHED_2, REV_DRAFT, REV_SPORTS],
        "comments": [COMMENT],
        "publications": [published["publication_id"]],
        "media": [photo_sha, upload, partial],
        "approvals": [approval["approval_id"]],
    }


def write_config(out: Path, objects: dict[str, list[str]], seed: int, max_time: int, workers: int) -> Path:
    """The WFC auth file (the newsroom's users, logging in through the API) and
    schemathesis.toml. Path parameters take a real object half of the time."""
    wfc = {
        "auth": [
            {
                "name": name,
                "loginEndpointAuth": {
                    "endpoint": "/v1/session",
                    "verb": "POST",
                    "contentType": "application/json",
                    "payloadUserPwd": {
                        "username": name,
                        "password": password,
                        "usernameField": "username",
                        "passwordField": "password",
                    },
                    "token": {
                        "extractFrom": "body",
                        "extractSelector": "/token",
                        "sendIn": "header",
                        "sendName": "Authorization",
                        "sendTemplate": "Bearer {token}",
                    },
                },
            }
            for name, _, _, password in USERS
        ]
    }
    (out / "auth.json").write_text(json.dumps(wfc, indent=2))

    def values(items: list[str]) -> str:
        return "[" + ", ".join(json.dumps(item) for item in items) + "]"

    def param(name: str, dictionary: str) -> str:
        return f'"path.{name}" = {{ dictionary = "{dictionary}", probability = 0.5 }}'

    operations = [
        ("^/v1/articles/\\\\{id\\\\}", [param("id", "articles"), param("comment", "comments")]),
        ("^/v1/revisions/", [param("rev", "revisions")]),
        ("^/v1/published/", [param("id", "publications")]),
        ("^/v1/media/", [param("id", "media")]),
    ]
    op_blocks = "\n".join(
        f'[[operations]]\ninclude-path-regex = "{regex}"\nparameters = {{ {", ".join(params)} }}\n'
        for regex, params in operations
    )
    dictionaries = "\n".join(f"{name} = {{ values = {values(items)} }}" for name, items in objects.items())
    config = f"""# Written by tests/fuzz/run.py for one run; see ARCHITECTURE.md (Testing).
seed = {seed}
max-time = {max_time}
workers = {workers}
suppress-health-check = ["too_slow", "filter_too_much", "data_too_large"]
request-timeout = 30
hooks = "{HOOKS}"

[auth.wfc]
path = "auth.json"
peers = {json.dumps(PEERS)}

[checks]
enabled = true

# A request the document allows may still be refused for what no schema can say (a content
# hash that does not match, a workflow state that does not allow the action): 422. Anything
# else for schema-valid input (400, 413, 415) means the document is not telling the truth.
[checks.positive_data_acceptance]
expected-statuses = ["2xx", 401, 403, 404, 409, 422]

[phases.stateful]
max-steps = 8

# The Authorization header comes from the auth file, never from generated data: a negative
# case that "drops" it would get it back from the auth provider and be reported as accepted.
[generation]
with-security-parameters = false

[reports]
directory = "report"
junit = {{ enabled = true }}
har = {{ enabled = true }}
pytest = {{ enabled = true }}

[dictionaries]
{dictionaries}

{op_blocks}"""
    path = out / "schemathesis.toml"
    path.write_text(config)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--barta", required=True, help="the barta binary")
    parser.add_argument("--schemathesis", required=True, help="the schemathesis executable")
    parser.add_argument("--out", required=True, help="where the config, reports and server log go")
    parser.add_argument("--seed", type=int, default=20250801)
    parser.add_argument("--max-time", type=int, default=120, help="schemathesis's budget in seconds")
    # One worker: Debian 12's Python 3.11.2 has a bug (CPython gh-106905, fixed in 3.11.5) that
    # makes hypothesis fail at random when two threads parse source at once; one worker also
    # keeps the order of a seeded run the same.
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the server running after the run (Ctrl-C stops it)")
    args = parser.parse_args()

    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="barta-fuzz-") as tmp:
        data = Path(tmp) / "data"
        say("fuzz: a fresh newsroom and `barta serve` on loopback")
        build_newsroom(args.barta, data)
        server_log = out / "server.log"
        proc, base = start_server(args.barta, data, server_log)
        try:
            objects = seed_articles(Api(base))
            (out / "objects.json").write_text(json.dumps(objects, indent=2))
            config = write_config(out, objects, args.seed, args.max_time, args.workers)
            command = [
                str(Path(args.schemathesis).resolve()),
                "--config-file",
                str(config),
                "--no-color",
                "run",
                f"{base}/openapi.json",
            ]
            say(f"fuzz: schemathesis on {base} (seed {args.seed}, {args.max_time} s, every check)")
            with open(out / "schemathesis.log", "w") as log:
                st = subprocess.Popen(command, cwd=out, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                assert st.stdout is not None
                for line in st.stdout:
                    sys.stdout.write(line)
                    log.write(line)
                code = st.wait()
            alive = proc.poll() is None
            if args.keep and alive:
                say(f"the server stays up at {base} (users and passwords in {out}/auth.json); Ctrl-C stops it")
                try:
                    proc.wait()
                except KeyboardInterrupt:
                    pass
        finally:
            stop_server(proc)
    output = (out / "schemathesis.log").read_text()
    cases = re.search(r"(\d+) generated, (?:(\d+) found (\d+) unique failures?|(\d+) passed)", output)
    generated = int(cases.group(1)) if cases else 0
    failures = int(cases.group(3) or 0) if cases else 0
    internal = [line for line in server_log.read_text().splitlines() if "internal error" in line or "panicked" in line]
    elapsed = time.monotonic() - started
    problems = []
    if code != 0:
        problems.append(f"schemathesis reported findings (exit {code})")
    if not alive:
        problems.append("the server died during the run")
    if internal:
        problems.append(f"{len(internal)} internal errors in the server log, e.g. {internal[0]}")
    if generated == 0:
        problems.append("schemathesis ran no test case")
    if problems:
        print("\nfuzz: FAILED: " + "; ".join(problems))
        print(f"fuzz: {generated - failures} passed, {max(failures, 1)} failed")
        print(
            f"""Reproduce:
  - each failure above ends with a curl command (its token has expired with that server:
    `scripts/fuzz-api --keep` runs the same seed and keeps the server up to replay against);
  - every request and answer is in {out}/report/ (JUnit, HAR, and a pytest file that replays
    the failures), the server's log in {server_log};
  - the run: scripts/fuzz-api --seed {args.seed} (config: {config}).
Fix the server or the OpenAPI document, and add a regression test to crates/barta-server/tests/."""
        )
        return 1
    print(f"fuzz: {generated} test cases in {elapsed:.0f} s: no server error, no answer outside the OpenAPI document")
    print(f"fuzz: {generated} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
