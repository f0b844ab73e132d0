"""Prints the endpoints botocore resolves for sso-oidc, sso, sts and codecommit in one region.

Usage: python3 botocore-endpoints.py REGION [PROFILE]; config and env come from the environment.
Each value is the client's endpoint URL, or "error" when botocore refuses the configuration.
"""
import json
import sys

import botocore.session
from botocore import UNSIGNED
from botocore.config import Config

region = sys.argv[1]
profile = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
session = botocore.session.Session(profile=profile)
out = {}
for key, name in (("oidc", "sso-oidc"), ("portal", "sso"), ("sts", "sts"), ("codecommit", "codecommit")):
    try:
        client = session.create_client(name, region_name=region, config=Config(signature_version=UNSIGNED))
        # The rule set runs per request; resolve it the way a request would, without sending one.
        endpoint = client._ruleset_resolver.construct_endpoint(client.meta.service_model.operation_model(client.meta.service_model.operation_names[0]), {}, {})
        out[key] = endpoint.url.rstrip("/")
    except Exception:  # noqa: BLE001 - any refusal counts
        out[key] = "error"
print(json.dumps(out))
