"""Team set-ups, the model half: answers through an organization's inference server.

A real `llama_cpp.server` on 127.0.0.1 runs the same bundled fast model the app loads
here, so the two columns differ only by the HTTP hop: time to first token of the same
questions on two CUAD contracts, asked locally and through the server, and whether
both cite the same pages. On a team's real server the model is bigger and the GPU
faster; this measures what the app adds, not what a GPU gains.

`bench/team.py` runs this after the library figures; it also runs alone.
"""

from __future__ import annotations

import json
import os
import sys

from common import ROOT, bench_home, median, record, say, scratch
from corpora import CUAD

sys.path.insert(0, str(ROOT / "tests"))

from servers import start_inference_server, stop

CONTRACTS = ("05_license_gopage.pdf", "07_license_cytodyn.pdf")
QUESTIONS = (
    "What does the licensor grant to the licensee?",
    "What must the licensee pay, and when?",
    "How can either party end this agreement early?",
    "What happens to confidential information after the agreement ends?",
    "Who owns improvements made under this agreement?",
)
KEY = "bench-team-key"


def ask_all(services, library) -> tuple[list[float], list[list[tuple[str, int]]]]:
    """TTFT of every question on every contract, and each answer's cited pages."""
    from discreet.index.records import SearchFilter
    from discreet.tasks.ask import ask

    ttfts, cited = [], []
    by_name = {r.path.rsplit("/", 1)[1]: r.doc_id for r in library.documents()}
    for name in CONTRACTS:
        scope = SearchFilter(doc_ids=(by_name[name],))
        for question in QUESTIONS:
            llm = services.llm("ask")
            result = ask(library, llm, services.settings, question, scope=scope)
            ttfts.append(result.timings["ttft_s"])
            cited.append(sorted({(c.doc_id, c.page) for c in result.citations}))
            say(f"  {name[:18]:18s} {result.timings['ttft_s']:5.2f} s  {result.answer[:70]!r}")
    return ttfts, cited


def main() -> None:
    from discreet.core import offline
    from discreet.core.settings import Settings
    from discreet.services import Services

    offline.enforce()
    home = bench_home()
    folder = scratch("discreet-team-docs-")
    for name in CONTRACTS:
        (folder / name).write_bytes((CUAD / "contracts" / name).read_bytes())

    say("== local")
    local = Services()
    library = local.library("team", create=True)
    library.add([folder])
    local_ttfts, local_cited = ask_all(local, library)
    model = local.model_path(local.model_for("ask").name)
    local.close()

    key_file = home / "server.key"
    key_file.write_text(KEY)
    key_file.chmod(0o600)
    policy = home / "policy.json"
    policy.write_text(json.dumps({"inference_servers": ["127.0.0.1"]}))
    os.environ["DISCREET_POLICY"] = str(policy)
    values = {"team.local_ttft_s": median(local_ttfts)}
    # llama-cpp-python's server computes logits for every prompt token when it is to
    # give log-probabilities (its default), which slows prompt reading; both ways
    for logprobs, suffix in ((False, ""), (True, ".with_logprobs")):
        process, url = start_inference_server(model, KEY, logprobs=logprobs)
        try:
            say(f"== through the inference server at {url}, logits_all={logprobs}")
            settings = Settings.load(local.paths.settings_file)
            settings.model.server = url
            settings.model.server_token_file = str(key_file)
            remote = Services(settings=settings)
            server_ttfts, server_cited = ask_all(remote, remote.library("team"))
            remote.close()
        finally:
            stop(process)
        same = sum(a == b for a, b in zip(local_cited, server_cited, strict=True))
        values |= {
            f"team.server_ttft_s{suffix}": median(server_ttfts),
            f"team.server_ttft_ratio{suffix}": median(server_ttfts) / median(local_ttfts),
            f"team.server_cited_pages_parity{suffix}": same / len(local_cited),
        }
        say(
            f"TTFT median: server {median(server_ttfts):.2f} s, here "
            f"{median(local_ttfts):.2f} s (server / here = "
            f"{median(server_ttfts) / median(local_ttfts):.2f}); same cited pages "
            f"{same}/{len(local_cited)}"
        )
    record(values)


if __name__ == "__main__":
    main()
