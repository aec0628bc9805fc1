"""The content API checked against its own OpenAPI document by schemathesis, on a running server.

`newsdesk serve` runs on a data folder of its own holding a small newsroom
(newsdesk/api/tests/newsroom.py: an article with every kind of body block,
photos, tags, an author, a draft and a private article, a live blog). Then
schemathesis's command line reads /api/v1/openapi.json and sends every
operation generated requests, valid and invalid, with and without a partner
key, checking each answer: no server error, a declared status, content type
and headers, and a body that matches the declared schema. The run is bounded
(examples per operation, a fixed seed, a wall-time limit): ~10 s of ~30 s for
the whole test, most of the rest being the newsroom's migrations.
"""

import json
import re
import subprocess

import pytest
from live_server import NEWSDESK, ROOT, Server, server_env

pytestmark = pytest.mark.e2e

SCHEMATHESIS = ROOT / ".venv" / "bin" / "st"
KEY = "conformance-key"
SEED = 20261125
MAX_EXAMPLES = 25
RUN_SECONDS = 180
BUILD_SECONDS = 120

CONFIG = """
[dictionaries]
article-ids = {{ values = {article_ids} }}
image-ids = {{ values = {image_ids} }}
live-blog-ids = {{ values = [{live_blog}] }}
paths = {{ values = {paths} }}
languages = {{ values = ["en", "ru"] }}
sections = {{ values = ["world"] }}
tags = {{ values = ["ferries", "strikes"] }}
authors = {{ values = ["maria-kovacs"] }}
keys = {{ values = ["{key}"] }}

# Half the generated values are ones that name something, so that the run
# reaches past "not found" to the documents themselves.
[parameters]
"path.article_id" = {{ dictionary = "article-ids", probability = 0.5 }}
"path.image_id" = {{ dictionary = "image-ids", probability = 0.5 }}
"path.blog_id" = {{ dictionary = "live-blog-ids", probability = 0.5 }}
"query.path" = {{ dictionary = "paths", probability = 0.5 }}
"query.language" = {{ dictionary = "languages", probability = 0.5 }}
"query.section" = {{ dictionary = "sections", probability = 0.5 }}
"query.tag" = {{ dictionary = "tags", probability = 0.5 }}
"query.author" = {{ dictionary = "authors", probability = 0.5 }}
"header.X-Api-Key" = {{ dictionary = "keys", probability = 0.5 }}

# A cursor is opaque: only the ones the API gave out are good, which no schema
# can say, so a well-formed string may rightly be refused with 400.
[[operations]]
include-name = "GET /api/v1/articles"
checks.positive_data_acceptance.expected-statuses = ["2XX", "3XX", 400, 404, 429]
"""


def build_newsroom(data_dir) -> dict:
    result = subprocess.run(
        [str(NEWSDESK), "shell", "-c", "from newsdesk.api.tests.newsroom import main; main()"],
        env=server_env(data_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_answer_matches_the_openapi_document(tmp_path):
    made = build_newsroom(tmp_path)
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        CONFIG.format(
            article_ids=[made[name] for name in ("story", "background", "earlier", "draft")],
            image_ids=[made["photo"], made["pier"]],
            live_blog=made["live_blog"],
            paths=json.dumps(made["paths"]),
            key=KEY,
        )
    )
    # The API allows 120 requests a minute per address, and every request
    # here comes from 127.0.0.1: the run would mostly test the rate limit.
    server = Server(tmp_path, workers=1, env={"API_RATE": "1000000/m", "API_KEYS": KEY})
    server.start()
    try:
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "--no-color",
                "--config-file",
                str(config),
                "run",
                f"{server.url}/api/v1/openapi.json",
                "--checks",
                "all",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--seed",
                str(SEED),
                "--workers",
                "1",
                "--request-timeout",
                "10",
                # Generous: the machine may be busy with other work.
                "--max-response-time",
                "10",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=RUN_SECONDS,
            check=False,
        )
    finally:
        server.stop()
    (tmp_path / "schemathesis.log").write_text(run.stdout + run.stderr)
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert re.search(r"Operations:\s+5 selected / 5 total", run.stdout), run.stdout[:2000]
