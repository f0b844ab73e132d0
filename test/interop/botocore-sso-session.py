# Run by token-cache-botocore.test.ts: botocore (the AWS CLI's engine) as the oracle for ccsso's token
# cache. argv[1]: "token" — load (and, inside the refresh window, refresh) the sso-session token with
# SSOTokenProvider; "credentials" — resolve the profile's role credentials through the SSO provider.
# Prints one JSON line. HOME, AWS_CONFIG_FILE and AWS_ENDPOINT_URL_SSO[_OIDC] come from the environment.
import json
import sys

import botocore.session
from botocore.tokens import SSOTokenProvider

what, profile = sys.argv[1], sys.argv[2]
session = botocore.session.Session(profile=profile)
if what == "token":
    token = SSOTokenProvider(session, profile_name=profile).load_token().get_frozen_token()
    print(json.dumps({"token": token.token, "expiration": token.expiration.isoformat() if token.expiration else None}))
elif what == "credentials":
    creds = session.get_credentials().get_frozen_credentials()
    print(json.dumps({"accessKeyId": creds.access_key, "method": session.get_credentials().method}))
