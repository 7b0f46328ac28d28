#!/usr/bin/env python3
"""The load check of `dsar serve` (Benchmarks/serve-load.sh runs it): 200 concurrent OpenDSR status
polls and 20 concurrent request intakes against one server, all started together, with p50/p99
latencies and a check that nothing was lost (every poll 200, every intake 201, 20 new requests in
the ledger). Prints one Markdown table row; exits 1 when something was lost.

    serve-load.py BASE_URL INTAKE_TOKEN STATUS_TOKEN DSAR_BINARY CATALOG [POLLS] [INTAKES]
"""
import http.client, json, subprocess, sys, threading, time, uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

base, intake_token, status_token, dsar, catalog = sys.argv[1:6]
polls = int(sys.argv[6]) if len(sys.argv) > 6 else 200
intakes = int(sys.argv[7]) if len(sys.argv) > 7 else 20
url = urlparse(base)


def call(method, path, token, body=None):
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return response.status, elapsed, data


def submission(number):
    return {"subject_request_id": str(uuid.uuid4()), "subject_request_type": "access",
            "submitted_time": (datetime.now(timezone.utc) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "subject_identities": [{"identity_type": "email", "identity_value": f"load.{number}@example.test",
                                    "identity_format": "raw"}], "api_version": "0.1"}


def ledger_count():
    listed = subprocess.run([dsar, "request", "list", "--json", "--catalog", catalog], capture_output=True, text=True, check=True)
    return len(json.loads(listed.stdout))


# One request to poll, opened before the load.
seed = submission(0)
status, _, _ = call("POST", "/opengdpr_requests", intake_token, seed)
assert status == 201, f"the seed request was refused ({status})"
before = ledger_count()

barrier = threading.Barrier(polls + intakes)
def poll(_):
    barrier.wait()
    return call("GET", f"/opengdpr_requests/{seed['subject_request_id']}", status_token)
def intake(number):
    body = submission(number)
    barrier.wait()
    return call("POST", "/opengdpr_requests", intake_token, body)

with ThreadPoolExecutor(max_workers=polls + intakes) as pool:
    started = time.perf_counter()
    poll_futures = [pool.submit(poll, i) for i in range(polls)]
    intake_futures = [pool.submit(intake, i + 1) for i in range(intakes)]
    poll_results = [f.result() for f in poll_futures]
    intake_results = [f.result() for f in intake_futures]
    wall = time.perf_counter() - started

def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * len(values)) - 1))]

poll_ok = sum(1 for s, _, _ in poll_results if s == 200)
intake_ok = sum(1 for s, _, _ in intake_results if s == 201)
added = ledger_count() - before
lost = poll_ok != polls or intake_ok != intakes or added != intakes
poll_ms = [e for _, e, _ in poll_results]
intake_ms = [e for _, e, _ in intake_results]
print(f"| `dsar serve`: {polls} concurrent status polls + {intakes} concurrent intakes, started together "
      f"| polls p50 {pct(poll_ms, .5):.0f} ms, p99 {pct(poll_ms, .99):.0f} ms; intakes p50 {pct(intake_ms, .5):.0f} ms, "
      f"p99 {pct(intake_ms, .99):.0f} ms; all in {wall:.2f} s "
      f"| {poll_ok}/{polls} polls 200, {intake_ok}/{intakes} intakes 201, {added} new requests in the ledger "
      f"| — | nothing lost{' — FAILED' if lost else ''} |")
sys.exit(1 if lost else 0)
