"""Responses shared by every domain."""

import io
from typing import BinaryIO

from flask import Response, send_file


def attachment(data: bytes | BinaryIO, filename: str, mimetype: str) -> Response:
    """Send bytes or a file as a download that no cache keeps (certificates hold names)."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    response = send_file(stream, mimetype=mimetype, as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = "no-store"
    return response
