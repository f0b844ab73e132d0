// STS GetCallerIdentity and AssumeRole over the awsQuery protocol (botocore data/sts/2011-06-15: protocol "query",
// XML namespace https://sts.amazonaws.com/doc/2011-06-15/): a form POST, an XML answer.
import { RemoteError } from "../core/errors";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { signedPost, type SignedCallTarget } from "./signed-call";

export interface CallerIdentity {
  userId: string;
  account: string;
  arn: string;
}

function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()]!;
    return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** The text of the first `<tag>` element, entity-decoded; the awsQuery answers have no attributes we need. */
export function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? decodeXml(m[1]!.trim()) : undefined;
}

/** An awsQuery error answer (or an answer that is not STS at all) as a RemoteError. */
function stsFailure(
  ctx: Context,
  operation: string,
  target: { endpoint: string },
  res: { status: number; text: string; headers: Headers },
  requestId: string | undefined,
): RemoteError {
  const code = xmlText(res.text, "Code");
  const message = xmlText(res.text, "Message");
  const details = { service: "sts", operation, awsType: code, status: res.status, requestId, endpoint: target.endpoint };
  if (code === undefined) {
    // No awsQuery <Error> in the answer: whatever answered is not STS (a wrong endpoint override, a proxy's
    // error page). Its body says nothing a person can act on, so the line names the status and the endpoint.
    if (res.text) debugLog(ctx, `STS answer without an <Error>: ${res.text.slice(0, 200)}`);
    return new RemoteError(
      `STS ${operation} failed: HTTP ${res.status} from ${target.endpoint}, which did not answer as STS`,
      details,
      "check the STS endpoint: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, or endpoint_url in the profile or its [services] section",
    );
  }
  return new RemoteError(`STS ${operation} failed: ${code}${message ? `: ${message}` : ` (HTTP ${res.status})`}`, details);
}

export interface AssumeRoleParams {
  RoleArn: string;
  RoleSessionName: string;
  ExternalId?: string;
  SerialNumber?: string;
  TokenCode?: string;
  DurationSeconds?: number;
}

export interface AssumeRoleResult {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiration: number;
  assumedRoleId: string;
  assumedRoleArn: string;
  requestId?: string;
}

/** STS AssumeRole (awsQuery), signed with the source credentials. */
export async function assumeRole(
  ctx: Context,
  target: Omit<SignedCallTarget, "service">,
  params: AssumeRoleParams,
): Promise<AssumeRoleResult> {
  const form = new URLSearchParams({ Action: "AssumeRole", Version: "2011-06-15" });
  for (const [k, v] of Object.entries(params)) if (v !== undefined) form.set(k, String(v));
  const res = await signedPost(
    ctx,
    { ...target, service: "sts" },
    {
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: form.toString(),
    },
  );
  const requestId = xmlText(res.text, "RequestId") ?? res.headers.get("x-amzn-requestid") ?? undefined;
  if (res.status >= 300) throw stsFailure(ctx, "AssumeRole", target, res, requestId);
  const creds = xmlText(res.text, "Credentials") ?? "";
  const user = xmlText(res.text, "AssumedRoleUser") ?? "";
  const out = {
    accessKeyId: xmlText(creds, "AccessKeyId"),
    secretAccessKey: xmlText(creds, "SecretAccessKey"),
    sessionToken: xmlText(creds, "SessionToken"),
    expiration: Date.parse(xmlText(creds, "Expiration") ?? ""),
    assumedRoleId: xmlText(user, "AssumedRoleId"),
    assumedRoleArn: xmlText(user, "Arn"),
  };
  if (
    !out.accessKeyId ||
    !out.secretAccessKey ||
    !out.sessionToken ||
    Number.isNaN(out.expiration) ||
    !out.assumedRoleArn ||
    !out.assumedRoleId
  ) {
    throw new RemoteError("STS AssumeRole answered without complete Credentials and AssumedRoleUser", {
      service: "sts",
      operation: "AssumeRole",
      status: res.status,
      requestId,
      endpoint: target.endpoint,
    });
  }
  return { ...(out as Omit<AssumeRoleResult, "requestId">), requestId };
}

export async function getCallerIdentity(ctx: Context, target: Omit<SignedCallTarget, "service">): Promise<CallerIdentity> {
  const res = await signedPost(
    ctx,
    { ...target, service: "sts" },
    {
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    },
  );
  const requestId = xmlText(res.text, "RequestId") ?? res.headers.get("x-amzn-requestid") ?? undefined;
  if (res.status >= 300) throw stsFailure(ctx, "GetCallerIdentity", target, res, requestId);
  const result = xmlText(res.text, "GetCallerIdentityResult") ?? "";
  const arn = xmlText(result, "Arn");
  const account = xmlText(result, "Account");
  const userId = xmlText(result, "UserId");
  if (!arn || !account || !userId) {
    throw new RemoteError("STS GetCallerIdentity answered without Arn, Account and UserId", {
      service: "sts",
      operation: "GetCallerIdentity",
      status: res.status,
      requestId,
      endpoint: target.endpoint,
    });
  }
  return { userId, account, arn };
}
