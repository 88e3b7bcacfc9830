"""Verifies a Standard Webhooks signature with nothing but Python's standard library (hmac, hashlib, base64).

Usage: python3 verify_signature.py <secret whsec_...> <webhook-id> <webhook-timestamp> <webhook-signature>  (body on stdin)
Prints "valid" or "invalid".
"""
import base64
import hashlib
import hmac
import sys

secret, message_id, timestamp, signatures = sys.argv[1:5]
body = sys.stdin.buffer.read()
key = base64.b64decode(secret.removeprefix("whsec_"))
signed = message_id.encode() + b"." + timestamp.encode() + b"." + body
expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
valid = any(part.startswith("v1,") and hmac.compare_digest(part[3:], expected) for part in signatures.split(" "))
print("valid" if valid else "invalid")
