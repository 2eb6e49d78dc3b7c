"""Drives /api/v1 through a Python client that openapi-python-client generated from the server's
own OpenAPI document: sign in, add a secret, show it, reveal it, and be refused a duplicate name.
Usage: generated_client.py BASE_URL PACKAGE_PARENT_DIR USER PASSWORD"""
import secrets
import sys

base, package_dir, user, password = sys.argv[1:5]
sys.path.insert(0, package_dir)

from strongbox_api_client import AuthenticatedClient, Client  # noqa: E402
from strongbox_api_client.api.auth import login  # noqa: E402
from strongbox_api_client.api.secrets import add, reveal, show  # noqa: E402
from strongbox_api_client.models import (  # noqa: E402
    AddSecret,
    ContentInputContent,
    Created,
    ErrorBody,
    LoginRequest,
    RevealRequest,
    SecretDetailJson,
)


def check(condition, what):
    if not condition:
        sys.exit(f"generated client: {what}")


signed_in = login.sync(client=Client(base_url=base), body=LoginRequest(username=user, password=password, label="generated-client"))
check(not isinstance(signed_in, ErrorBody) and signed_in is not None, f"sign-in failed: {signed_in}")
client = AuthenticatedClient(base_url=base, token=signed_in.token)

name = f"generated-{secrets.token_hex(4)}"
value = ContentInputContent.from_dict({"password": "s3cret"})
created = add.sync("prod", client=client, body=AddSecret(name=name, description="from a generated client", content=value))
check(isinstance(created, Created), f"add answered {created}")

detail = show.sync("prod", created.id, client=client)
check(isinstance(detail, SecretDetailJson), f"show answered {detail}")
check(detail.name == name and detail.revision == 1, f"show gave {detail.name} revision {detail.revision}")
check(detail.description == "from a generated client", f"show gave description {detail.description!r}")

content = reveal.sync("prod", created.id, client=client, body=RevealRequest())
check(content is not None and not isinstance(content, ErrorBody), f"reveal answered {content}")
check(content.content.to_dict() == {"password": "s3cret"}, f"reveal gave {content.content.to_dict()}")

again = add.sync_detailed("prod", client=client, body=AddSecret(name=name, content=value))
check(again.status_code == 409, f"a duplicate name answered {again.status_code}")
check(isinstance(again.parsed, ErrorBody) and again.parsed.error == "conflict", f"a duplicate name gave {again.parsed}")
print(f"generated client: added, showed and revealed {name}; a duplicate name was refused with 409 conflict")
