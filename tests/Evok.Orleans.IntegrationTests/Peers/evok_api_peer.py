"""What Evok's documentation examples do, with Debian's python3-requests and python3-websocket.

Usage: python3 evok_api_peer.py <api base, e.g. http://127.0.0.1:8080>
Prints one JSON line per step for the test to check.
"""
import json
import sys

import requests
import websocket

base = sys.argv[1].rstrip("/")

relay = requests.get(f"{base}/rest/relay/2_02", timeout=10)
print(json.dumps({"step": "get", "status": relay.status_code, "device": relay.json()}))

socket = websocket.create_connection(base.replace("http://", "ws://") + "/ws", timeout=10)
socket.send(json.dumps({"cmd": "filter", "devices": ["relay"]}))

switched = requests.post(f"{base}/rest/relay/2_02", data={"value": "1"}, timeout=10)
print(json.dumps({"step": "post", "status": switched.status_code, "body": switched.json()}))

# Other relays may change meanwhile: wait for the event of the one switched above.
for _ in range(50):
    event = json.loads(socket.recv())
    if isinstance(event, list) and any(device.get("circuit") == "2_02" for device in event):
        break
print(json.dumps({"step": "ws", "event": [device for device in event if device.get("circuit") == "2_02"]}))
socket.close()

everything = requests.get(f"{base}/json/all", timeout=10)
print(json.dumps({"step": "all", "status": everything.status_code, "count": len(everything.json())}))
