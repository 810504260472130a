"""The CSP admits vendored Cytoscape's one stylesheet and no other inline style."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from portal import web

CYTOSCAPE = Path(web.__file__).parent / "static" / "vendor" / "cytoscape" / "cytoscape.min.js"


def test_csp_allows_the_stylesheet_that_vendored_cytoscape_injects():
    source = CYTOSCAPE.read_text(encoding="utf-8")
    # cytoscape 3.x: s="__________cytoscape_container", then u.textContent="."+s+" { … }"
    container = re.search(r'(\w)="(__________cytoscape_container)"', source)
    assert container is not None
    rule = re.search(r'textContent="\."\+' + container[1] + r'\+"([^"]*)"', source)
    assert rule is not None
    injected = "." + container[2] + rule[1]
    digest = base64.b64encode(hashlib.sha256(injected.encode()).digest()).decode()
    assert f"style-src 'self' 'sha256-{digest}';" in web.CSP


def test_csp_allows_no_other_inline_style_or_script():
    directives = dict(part.strip().split(" ", 1) for part in web.CSP.split(";"))
    assert "unsafe" not in web.CSP and "nonce" not in web.CSP
    assert directives["script-src"] == "'self'"
    assert directives["style-src"].split() == ["'self'", web.style_hash(web.CYTOSCAPE_STYLESHEET)]
