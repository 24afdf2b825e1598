"""schemathesis hooks for the Barta API fuzz run (loaded through schemathesis.toml).

A photo chunk (`PATCH /v1/media/{id}`) is sent as `application/offset+octet-stream` (tus 1.0):
raw bytes, serialized as schemathesis serializes `application/octet-stream`.
"""

import schemathesis

schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
