"""The QR codes printed on link sheets and flyers decode back to their links."""

import base64
import io

import pytest
import zxingcpp
from PIL import Image

from portal.qrcodes import qr_data_uri


def decode(data_uri: str) -> str:
    prefix = "data:image/png;base64,"
    assert data_uri.startswith(prefix)
    image = Image.open(io.BytesIO(base64.b64decode(data_uri[len(prefix):])))
    (barcode,) = zxingcpp.read_barcodes(image)
    return barcode.text


@pytest.mark.parametrize(
    "link",
    [
        "https://portal.example/s/r/abc123?lang=sq",
        "http://127.0.0.1:5000/surveys/7/consent?lang=ar",
        "https://portal.example/" + "x" * 300,
    ],
)
def test_code_decodes_to_the_link(link: str) -> None:
    assert decode(qr_data_uri(link)) == link
