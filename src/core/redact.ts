// The one place secrets are scrubbed from text that leaves the process (docs/architecture.md §6).
// Every log line, debug line and error message goes through redact().

const registered = new Set<string>();

/** Remember a secret value seen at run time so redact() removes it wherever it appears. */
export function registerSecret(value: string | undefined | null): void {
  // Short values would redact ordinary words; real AWS secrets are all much longer than 8 characters.
  if (value && value.length >= 8) registered.add(value);
}

// Shapes that are secret whatever their source: SigV4 passwords, session tokens in usernames,
// key=value pairs whose key names a secret, bearer headers.
const patterns: Array<[RegExp, string]> = [
  [/(\d{8}T\d{6}Z)[0-9a-f]{64}/g, "$1<redacted-signature>"],
  [/((?:AKIA|ASIA)[A-Z0-9]{12,})%[^\s"']+/g, "$1%<redacted-token>"],
  [
    /((?:accessToken|refreshToken|clientSecret|secretAccessKey|sessionToken|SecretAccessKey|SessionToken|deviceCode|codeVerifier|code_verifier|password|aws_secret_access_key|aws_session_token|x-amz-sso_bearer_token)["']?\s*[:=]\s*["']?)[^"'\s,&}]+/gi,
    "$1<redacted>",
  ],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, "$1<redacted>"],
];

export function redact(text: string): string {
  let out = text;
  for (const secret of registered) out = out.split(secret).join("<redacted>");
  for (const [re, rep] of patterns) out = out.replace(re, rep);
  return out;
}
