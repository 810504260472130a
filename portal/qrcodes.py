"""QR codes for printed links (relationship-survey cards, resident flyers).

One place so every printable page draws codes the same way: a PNG data URI that prints
sharply at its natural size and needs no JavaScript, and that tests can decode back to the
link (``tests`` read it with zxing-cpp).
"""

from __future__ import annotations

import segno


def qr_data_uri(text: str, *, scale: int = 4) -> str:
    """A ``data:image/png;base64,…`` URI of the QR code for ``text`` (error correction M).

    The quiet zone (four modules) is part of the image, so a code printed edge to edge
    on a card still scans.
    """
    code = segno.make(text, error="m", micro=False)
    return str(code.png_data_uri(scale=scale, border=4))
