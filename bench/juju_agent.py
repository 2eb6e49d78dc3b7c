"""Sets up what a Juju unit agent reads, through the calls Juju's vault backend makes (as
testkit/juju/replay.py makes them), on Strongbox or OpenBao alike: a KV version 1 mount, a
secret's revision with three values, the consumer's read policy, and an agent token
(no default policy). Prints the key's path and the agent's token.
Usage: juju_agent.py URL BACKEND_TOKEN MOUNT"""
import base64
import json
import sys
import urllib.request

url, token, mount = sys.argv[1:4]
secret = "d4kq8pbmp25c77ukat9g"


def call(method, path, body=None):
    request = urllib.request.Request(
        f"{url}/v1/{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"X-Vault-Token": token, "X-Vault-Request": "true", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as answer:
        text = answer.read()
        return json.loads(text) if text else None


call("POST", f"sys/mounts/{mount}", {"type": "kv", "options": {"version": "1"}})
values = {k: base64.b64encode(v.encode()).decode() for k, v in
          {"username": "wordpress", "password": "s3cret-" + "x" * 24, "host": "mysql-0.example"}.items()}
call("PUT", f"{mount}/{secret}-1", values)
policy = f"{mount}-{secret}-read"
call("PUT", f"sys/policies/acl/{policy}", {"policy": f'path "{mount}/{secret}-*" {{capabilities = ["read"]}}'})
made = call("POST", "auth/token/create",
            {"policies": [policy], "ttl": "1h", "no_default_policy": True, "display_name": "wordpress-0"})
print(f"{mount}/{secret}-1", made["auth"]["client_token"])
