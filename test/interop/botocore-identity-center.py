"""Drives botocore's real sso-oidc and sso clients against the Identity Center stand-in.

Usage: python3 botocore-identity-center.py SCENARIO ENDPOINT_URL
Prints one JSON object describing what botocore saw (exception classes, parsed fields), so the Bun
test (identity-center-botocore.test.ts) can assert on it. botocore is the oracle: if the stand-in's
wire format drifts from the service models, botocore raises or parses differently here.
"""
import base64
import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

import botocore.session
from botocore import UNSIGNED
from botocore.config import Config

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
START_URL = "https://d-1234567890.awsapps.com/start"

scenario, endpoint = sys.argv[1], sys.argv[2]
session = botocore.session.get_session()
# No retries: a forced 429/500 must reach us as the exception, not be retried away.
config = Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1, "mode": "standard"})
oidc = session.create_client("sso-oidc", region_name="us-east-1", endpoint_url=endpoint, config=config)
portal = session.create_client("sso", region_name="us-east-1", endpoint_url=endpoint, config=config)


def control(path, body):
    req = urllib.request.Request(endpoint + path, data=json.dumps(body).encode(), method="POST")
    return json.load(urllib.request.urlopen(req))


def error_of(call):
    """Run call; return the botocore exception class name and parsed error, or None on success."""
    try:
        call()
    except Exception as e:  # noqa: BLE001 - we report whatever botocore raised
        resp = getattr(e, "response", {})
        return {
            "class": type(e).__name__,
            "code": resp.get("Error", {}).get("Code"),
            "message": resp.get("Error", {}).get("Message"),
            "status": resp.get("ResponseMetadata", {}).get("HTTPStatusCode"),
            "requestId": resp.get("ResponseMetadata", {}).get("RequestId"),
            "oauthError": resp.get("error"),
        }
    return None


def register(**extra):
    return oidc.register_client(clientName="botocore-client-interop", clientType="public", **extra)


def device_token_call(reg, dev):
    return lambda: oidc.create_token(
        grantType=DEVICE_GRANT, clientId=reg["clientId"], clientSecret=reg["clientSecret"], deviceCode=dev["deviceCode"]
    )


def poll_until_token(reg, dev, limit=20):
    """The AWS CLI's loop (docs/protocols.md §3.3) without sleeping: returns seen errors and the token."""
    seen = []
    for _ in range(limit):
        try:
            return seen, device_token_call(reg, dev)()
        except (oidc.exceptions.AuthorizationPendingException, oidc.exceptions.SlowDownException) as e:
            seen.append(type(e).__name__)
    raise RuntimeError("no token after %d polls" % limit)


out = {}

if scenario == "device":
    reg = register()
    out["registration"] = {k: reg[k] for k in ("clientIdIssuedAt", "clientSecretExpiresAt")}
    out["registrationTypes"] = [type(reg["clientIdIssuedAt"]).__name__, type(reg["clientSecretExpiresAt"]).__name__]
    dev = oidc.start_device_authorization(clientId=reg["clientId"], clientSecret=reg["clientSecret"], startUrl=START_URL)
    out["device"] = {k: dev[k] for k in ("userCode", "verificationUri", "verificationUriComplete", "expiresIn", "interval")}
    out["beforeApproval"] = error_of(device_token_call(reg, dev))
    out["page"] = urllib.request.urlopen(dev["verificationUriComplete"]).status
    seen, tok = poll_until_token(reg, dev)
    out["seen"] = seen
    out["token"] = {k: tok.get(k) for k in ("tokenType", "expiresIn")}
    out["hasRefreshToken"] = "refreshToken" in tok
    out["accessToken"] = tok["accessToken"]
    out["reuseDeviceCode"] = error_of(device_token_call(reg, dev))
    refreshed = oidc.create_token(
        grantType="refresh_token", clientId=reg["clientId"], clientSecret=reg["clientSecret"], refreshToken=tok["refreshToken"]
    )
    out["refreshedDiffers"] = refreshed["accessToken"] != tok["accessToken"]
    portal.logout(accessToken=refreshed["accessToken"])
    out["refreshAfterLogout"] = error_of(
        lambda: oidc.create_token(
            grantType="refresh_token", clientId=reg["clientId"], clientSecret=reg["clientSecret"], refreshToken=tok["refreshToken"]
        )
    )

elif scenario == "device-errors":
    # Knobs set by the test: slowDown=1 then pendingPolls=2 after approval.
    reg = register()
    dev = oidc.start_device_authorization(clientId=reg["clientId"], clientSecret=reg["clientSecret"], startUrl=START_URL)
    urllib.request.urlopen(dev["verificationUriComplete"])
    seen, tok = poll_until_token(reg, dev)
    out["seen"] = seen
    out["gotToken"] = bool(tok["accessToken"])
    out["badSecret"] = error_of(
        lambda: oidc.create_token(grantType=DEVICE_GRANT, clientId=reg["clientId"], clientSecret="wrong", deviceCode=dev["deviceCode"])
    )
    out["badGrant"] = error_of(
        lambda: oidc.create_token(grantType="password", clientId=reg["clientId"], clientSecret=reg["clientSecret"])
    )

elif scenario == "device-expired":
    reg = register()
    dev = oidc.start_device_authorization(clientId=reg["clientId"], clientSecret=reg["clientSecret"], startUrl=START_URL)
    control("/__fake/knobs", {"clockOffsetMs": (dev["expiresIn"] + 1) * 1000})
    out["expired"] = error_of(device_token_call(reg, dev))

elif scenario == "device-denied":
    reg = register()
    dev = oidc.start_device_authorization(clientId=reg["clientId"], clientSecret=reg["clientSecret"], startUrl=START_URL)
    out["page"] = urllib.request.urlopen(dev["verificationUriComplete"]).status
    out["denied"] = error_of(device_token_call(reg, dev))

elif scenario in ("pkce", "pkce-denied"):
    reg = register(
        grantTypes=["authorization_code", "refresh_token"],
        redirectUris=["http://127.0.0.1/oauth/callback"],
        issuerUrl=START_URL,
        scopes=["sso:account:access"],
    )
    verifier = "A" * 64
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    redirect = "http://127.0.0.1:55555/oauth/callback"
    params = {
        "response_type": "code",
        "client_id": reg["clientId"],
        "redirect_uri": redirect,
        "state": "00000000-0000-0000-0000-000000000000",
        "code_challenge_method": "S256",
        "scopes": "sso:account:access",
    }
    # Built exactly like the AWS CLI's _get_authorization_uri (docs/protocols.md §3.4).
    url = endpoint + "/authorize?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="-._~") + "&code_challenge=" + challenge

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        urllib.request.build_opener(NoRedirect).open(url)
        raise RuntimeError("authorize did not redirect")
    except urllib.error.HTTPError as e:
        location = e.headers["Location"]
    target = urllib.parse.urlsplit(location)
    query = dict(urllib.parse.parse_qsl(target.query))
    out["redirectedTo"] = "%s://%s%s" % (target.scheme, target.netloc, target.path)
    out["query"] = {k: v for k, v in query.items() if k != "code"}
    out["hasCode"] = "code" in query
    if scenario == "pkce":

        def exchange(verifier_used, redirect_used, code=query.get("code")):
            return oidc.create_token(
                grantType="authorization_code",
                clientId=reg["clientId"],
                clientSecret=reg["clientSecret"],
                code=code,
                codeVerifier=verifier_used,
                redirectUri=redirect_used,
            )

        out["wrongVerifier"] = error_of(lambda: exchange("B" * 64, redirect))
        out["wrongRedirect"] = error_of(lambda: exchange(verifier, "http://127.0.0.1:1/oauth/callback"))
        tok = exchange(verifier, redirect)
        out["hasRefreshToken"] = "refreshToken" in tok
        out["codeReused"] = error_of(lambda: exchange(verifier, redirect))
        out["deviceOnPkceClient"] = error_of(
            lambda: oidc.start_device_authorization(clientId=reg["clientId"], clientSecret=reg["clientSecret"], startUrl=START_URL)
        )

elif scenario == "portal":
    # The test gives the stand-in 25 accounts with 3 roles each and hands us a live access token.
    token = sys.argv[3]
    accounts = []
    pages = 0
    for page in portal.get_paginator("list_accounts").paginate(accessToken=token, PaginationConfig={"PageSize": 10}):
        pages += 1
        accounts.extend(page["accountList"])
    out["accountPages"] = pages
    out["accountIds"] = [a["accountId"] for a in accounts]
    out["firstAccount"] = accounts[0]
    roles = []
    for page in portal.get_paginator("list_account_roles").paginate(
        accessToken=token, accountId=accounts[0]["accountId"], PaginationConfig={"PageSize": 2}
    ):
        roles.extend(page["roleList"])
    out["roles"] = roles
    creds = portal.get_role_credentials(accessToken=token, accountId=accounts[0]["accountId"], roleName=roles[0]["roleName"])
    rc = creds["roleCredentials"]
    out["credentials"] = {"accessKeyId": rc["accessKeyId"], "expiration": rc["expiration"], "expirationType": type(rc["expiration"]).__name__}
    out["unknownAccount"] = error_of(lambda: portal.list_account_roles(accessToken=token, accountId="000000000000"))
    out["badNextToken"] = error_of(lambda: portal.list_accounts(accessToken=token, maxResults=100, nextToken="garbage"))
    out["notAssigned"] = error_of(lambda: portal.get_role_credentials(accessToken=token, accountId=accounts[0]["accountId"], roleName="Nope"))
    control("/__fake/fail", {"operation": "GetRoleCredentials", "type": "TooManyRequestsException", "times": 1})
    out["throttled"] = error_of(
        lambda: portal.get_role_credentials(accessToken=token, accountId=accounts[0]["accountId"], roleName=roles[0]["roleName"])
    )
    control("/__fake/invalidate", {"accessToken": token})
    out["afterInvalidate"] = error_of(lambda: portal.list_accounts(accessToken=token))
    out["logoutAfterInvalidate"] = error_of(lambda: portal.logout(accessToken=token))

else:
    raise SystemExit("unknown scenario " + scenario)

print(json.dumps(out))
