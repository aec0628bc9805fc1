"""`make audit`: Lighthouse scores of the demo's lead article.

Builds the demo newsroom in a temporary data folder, serves it with the
production settings, runs Lighthouse 12.2.3 (npm, pinned in package.json)
with Debian's Chromium, and prints the four category scores.

    .venv/bin/python bench/audit.py [--url PATH]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_server import ROOT, lead_article_path, running_demo

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="path to audit (default: the lead article)")
    options = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: run `npm ci` (npm package lighthouse@12.2.3).")
        return 2
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not Path(chrome).exists():
        print("Chromium not found at /usr/bin/chromium (Debian package chromium).")
        return 2

    with running_demo(workers=1) as base_url:
        path = options.url or lead_article_path(base_url)
        with tempfile.TemporaryDirectory() as out_dir:
            report = Path(out_dir) / "report.json"
            command = [
                str(LIGHTHOUSE),
                base_url + path,
                f"--chrome-flags={CHROME_FLAGS}",
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--quiet",
            ]
            print("Running:", " ".join(command), flush=True)
            subprocess.run(
                command, check=True, env={**os.environ, "CHROME_PATH": chrome}, timeout=300
            )
            result = json.loads(report.read_text())

    print(f"\nLighthouse {result['lighthouseVersion']} on {path}")
    for key in CATEGORIES:
        category = result["categories"][key]
        print(f"  {category['title']:<16} {round(category['score'] * 100):>3}")
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                print(f"      - {audit['title']} ({audit.get('displayValue', '')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
