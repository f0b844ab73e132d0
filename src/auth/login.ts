// `sso login` (docs/protocols.md §3.2–3.4): the client registration shared with the AWS CLI, then the
// authorization-code flow with PKCE and a loopback redirect, or the RFC 8628 device-code flow, and the
// token written to the AWS CLI's cache.
import { CcssoError, ConfigError, InterruptedError, RemoteError, SignInRefusedError } from "../core/errors";
import { nextDeviceFlowStep, startDeviceFlow, type PollOutcome } from "../core/device-flow";
import { codeChallengeS256, constantTimeEqual, generateCodeVerifier, generateState } from "../core/pkce";
import { registerSecret } from "../core/redact";
import { commandLine } from "../core/shell-quote";
import { sanitizeLine } from "../core/terminal-text";
import { formatCacheTimestamp } from "../core/timestamps";
import type { SsoLogin } from "../core/types";
import type { AwsConfig } from "../core/aws-config";
import type { Context } from "../platform/context";
import { debugLog } from "../platform/debug-log";
import { openBrowser } from "../platform/browser";
import { decideFlow, isWslPlace, sshForwardCommand } from "../core/sign-in-place";
import { placeFacts } from "../platform/place-facts";
import { copyThroughTerminal } from "../platform/clipboard";
import { loadSettings, rememberLoginFlow } from "../store/settings";
import { setInterruptNote } from "../platform/interrupt";

/** What a Ctrl-C during a sign-in leaves behind: the token is written only when the sign-in succeeds. */
const INTERRUPTED_LOGIN = "not signed in; no token was saved";
import { readRegistrationCache, writeRegistrationCache, type ClientRegistration } from "../store/registration-cache";
import { readTokenCache, tokenCachePath } from "../store/token-cache";
import { withLock } from "../store/lock";
import { tokenCacheKey } from "../core/cache-keys";
import { join } from "node:path";
import { lockDir, lockOptions, saveCreateTokenAnswer, tokenRefreshWindowMs } from "./sso-token";
import { loginCommandFor } from "./login-command";
import { resolveStartUrl, type ResolvedStartUrl } from "./start-url";
import { profileSectionHeader, ssoSessionSectionHeader } from "../core/aws-config";
import { updateAwsConfig } from "../store/aws-config-files";
import type { OidcClient, RegisterClientRequest, StartDeviceAuthorizationResponse } from "../aws/oidc";

/** The AWS CLI re-registers when the cached registration has under 15 minutes left (docs/protocols.md §3.2). */
const registrationReuseWindowMs = 15 * 60_000;
/** The AWS CLI's overall limit for the browser to come back to the loopback listener (docs/protocols.md §3.4). */
const callbackTimeoutMs = 600_000;
/** How long the listener may take to finish sending the result page before it is closed anyway. */
const callbackPageFlushMs = 2_000;
const pkceGrantTypes = ["authorization_code", "refresh_token"];
/** Registered without a port; used with the listener's port (RFC 8252 §7.3). */
const registeredRedirectUri = "http://127.0.0.1/oauth/callback";
const defaultScope = "sso:account:access";
/**
 * A login lock older than this is stale even if its pid is alive (pid reuse): no login outlives the
 * 600 s browser wait or the service's 600 s device-code lifetime, plus its few calls at 10 s each.
 * A second `sso login` waits at most this long too, printing why at once.
 */
export const loginLockStaleMs = 11 * 60_000;

export interface LoginOptions {
  deviceCode?: boolean;
  /**
   * `sso login`: deviceCode/useBrowser were typed by the person, so a device-code sign-in is remembered
   * for the sso-session and --use-browser forgets it.
   */
  remember?: boolean;
  /** --use-browser: the browser flow wherever this is, and a remembered device-code choice forgotten. */
  useBrowser?: boolean;
  /** --redirect-port: the loopback listener's fixed port (else [login] redirect_port, else any free one). */
  redirectPort?: number;
  /** --copy: copy the sign-in URL to the clipboard through the terminal (else [login] copy_url). */
  copyUrl?: boolean;
  /** false: print the URL only (--no-browser). */
  browser?: boolean;
  profile?: string;
  /** Tests shorten the wait for the loopback callback. */
  callbackTimeoutMs?: number;
  /** The start URL as `configure` already resolved it (so it is not asked twice). */
  resolved?: ResolvedStartUrl;
  /**
   * false: leave the config alone when the start URL's redirect names another SSO region (`configure`
   * writes the region itself). Otherwise the new region is saved once the sign-in succeeds, as `aws sso
   * login` does, so refreshes and role credentials use it too.
   */
  saveRegion?: boolean;
}

export interface LoginResult {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  /** "another-process": a concurrent `sso login` for the same session signed in while we waited. */
  flow: "pkce" | "device" | "another-process";
  /** The SSO region signed in to: the configured one, or the one the start URL's redirect named. */
  region: string;
}

/** Reject a start URL the AWS CLI would reject, before any network call (resolve.py). */
export function checkStartUrl(login: SsoLogin, profile?: string): void {
  let url: URL;
  try {
    url = new URL(login.startUrl);
  } catch {
    throw new ConfigError(`the sso_start_url "${login.startUrl}" is not a URL`, fixHint(login, profile));
  }
  if (url.protocol !== "https:")
    throw new ConfigError(`The sso_start_url must use the https scheme (got ${login.startUrl}).`, fixHint(login, profile));
  // A user name or password in the start URL would be sent to AWS, written to the shared token cache and
  // printed on success; no access portal URL has one, so it is a mistake or a trap either way.
  if (url.username || url.password) {
    throw new ConfigError(
      `the sso_start_url must not contain a user name or password (got ${url.protocol}//…@${url.host}${url.pathname})`,
      fixHint(login, profile),
    );
  }
}

function fixHint(login: SsoLogin, profile?: string): string {
  return `run: ${login.kind === "session" ? commandLine(["ccsso", "configure", "sso-session", "--sso-session", login.sessionName]) : commandLine(["ccsso", "configure", "sso", "--profile", profile ?? "default"])}`;
}

/**
 * A URL a server asks us to open in the browser or show to the person: it must be https, so a hostile
 * or broken endpoint cannot make the browser open `file:///etc/passwd` or a `javascript:` URL. Plain
 * http is accepted only for a loopback host when the OIDC endpoint itself is a plain-http override (a
 * local stand-in), never for an AWS endpoint.
 */
export function checkBrowserUrl(raw: string, oidcEndpoint: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  const endpointIsLocalHttp = (() => {
    try {
      const e = new URL(oidcEndpoint);
      return e.protocol === "http:" && isLoopbackHost(e.hostname);
    } catch {
      return false;
    }
  })();
  const ok =
    url !== undefined && (url.protocol === "https:" || (url.protocol === "http:" && endpointIsLocalHttp && isLoopbackHost(url.hostname)));
  if (!ok || /[\x00-\x20\x7f]/.test(raw)) {
    throw new CcssoError(
      `IAM Identity Center sent a sign-in URL that is not https (${JSON.stringify(raw)}); nothing was opened`,
      "check the sso_start_url and any AWS_ENDPOINT_URL_SSO_OIDC override",
    );
  }
  return raw;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
}

/** How this sign-in goes: the flow, the one line saying why, and the settings that shape it. */
interface FlowPlan {
  flow: "pkce" | "device";
  reason?: string;
  ssh: boolean;
  /** A browser opened on this machine reaches the person. */
  browserHere: boolean;
  /** WSL: the browser to open is the Windows one. */
  wsl: boolean;
  redirectPort?: number;
  copyUrl: boolean;
  /** The sso-session's settings remember --use-device-code. */
  remembered: boolean;
}

/**
 * Which flow, from where this runs, the flags, and what the sso-session remembers. A CI job is refused
 * here, before any network call: nobody there can approve a sign-in.
 */
export async function chooseFlow(ctx: Context, login: SsoLogin, opts: LoginOptions): Promise<FlowPlan> {
  const settings = await loadSettings(ctx.env);
  const session = login.kind === "session" ? login.sessionName : undefined;
  const remembered = session !== undefined && settings.ssoSessions[session]?.loginFlow === "device-code";
  // A remembered device code is this session's own choice and outranks the general port setting.
  const redirectPort = opts.redirectPort ?? (remembered && !opts.useBrowser ? undefined : settings.login.redirectPort);
  const facts = placeFacts(ctx);
  const decision = decideFlow(facts, {
    deviceCode: opts.deviceCode,
    useBrowser: opts.useBrowser,
    redirectPort: login.kind === "legacy" ? undefined : redirectPort,
    legacy: login.kind === "legacy",
    remembered: remembered && !opts.useBrowser ? { session: session!, settingsPath: settings.path } : undefined,
  });
  if (decision.flow === "refuse") {
    throw new SignInRefusedError(
      decision.reason,
      `on a workstation run: ${loginCommandFor(login, opts.profile)}; a CI job needs credentials of its own`,
    );
  }
  return {
    flow: decision.flow,
    reason: decision.reason,
    ssh: decision.ssh,
    browserHere: decision.browserHere,
    wsl: isWslPlace(facts),
    redirectPort: decision.flow === "pkce" ? redirectPort : undefined,
    copyUrl: opts.copyUrl ?? settings.login.copyUrl,
    remembered,
  };
}

/** After a sign-in worked: remember a by-hand --use-device-code for the session, or forget it on --use-browser. */
async function rememberChoice(ctx: Context, login: SsoLogin, opts: LoginOptions, plan: FlowPlan, result: LoginResult): Promise<void> {
  if (!opts.remember || login.kind !== "session" || result.flow === "another-process") return;
  const remember = opts.deviceCode === true && result.flow === "device" && !plan.remembered;
  const forget = opts.useBrowser === true && plan.remembered;
  if (!remember && !forget) return;
  const name = sanitizeLine(login.sessionName);
  try {
    await rememberLoginFlow(ctx.env, login.sessionName, remember ? "device-code" : undefined);
    ctx.stderr.write(
      remember
        ? `ccsso: sso-session ${name} will sign in with a device code from now on (remembered in ccsso's settings); --use-browser switches back.\n`
        : `ccsso: sso-session ${name} no longer remembers the device-code flow; the flow is chosen from where ccsso runs again.\n`,
    );
  } catch (e) {
    // The sign-in itself worked; only the memory of the choice is missing.
    ctx.stderr.write(
      `ccsso: signed in, but could not ${remember ? "remember" : "forget"} the device-code choice: ${sanitizeLine((e as Error).message)}\n`,
    );
  }
}

/**
 * Sign in to `login` under a per-session lock (aws-vault's rule: one browser per session). A second
 * `sso login` for the same session waits for the first instead of opening a second browser; when the
 * first wrote a fresh token meanwhile, that token is the answer. Nothing here prompts on the terminal,
 * so the lock never waits on a person at a prompt, only on the browser, and both waits are bounded.
 */
export async function loginSso(ctx: Context, cfg: AwsConfig, login: SsoLogin, opts: LoginOptions = {}): Promise<LoginResult> {
  // The token is written only once the sign-in succeeds, so until then a Ctrl-C leaves nothing behind.
  setInterruptNote(INTERRUPTED_LOGIN);
  checkStartUrl(login, opts.profile);
  const plan = await chooseFlow(ctx, login, opts);
  const resolved = opts.resolved ?? (await resolveStartUrl(ctx, login.startUrl, login.region, fixHint(login, opts.profile)));
  const result = await lockedLogin(ctx, cfg, { ...login, region: resolved.region }, resolved.url, opts, plan);
  if (resolved.region !== login.region && opts.saveRegion !== false) saveSsoRegion(ctx, login, resolved.region, opts.profile);
  await rememberChoice(ctx, login, opts, plan, result);
  return result;
}

/**
 * `aws sso login` writes the region a vanity start URL's redirect named back to the section the start
 * URL came from, only after the sign-in worked, so every later refresh goes to the same region.
 */
function saveSsoRegion(ctx: Context, login: SsoLogin, region: string, profile: string | undefined): void {
  const section = login.kind === "session" ? ssoSessionSectionHeader(login.sessionName) : profileSectionHeader(profile ?? "default");
  updateAwsConfig(ctx.env, section, { sso_region: region });
  ctx.stderr.write(
    `ccsso: SSO region updated to ${sanitizeLine(region)} in [${sanitizeLine(section)}] (the start URL leads to a portal in that region).\n`,
  );
}

async function lockedLogin(
  ctx: Context,
  cfg: AwsConfig,
  login: SsoLogin,
  portalUrl: string,
  opts: LoginOptions,
  plan: FlowPlan,
): Promise<LoginResult> {
  const seenBefore = readTokenCache(ctx, login)?.token.accessToken;
  const base = lockOptions(ctx, "signing in to the same SSO session");
  const lock = {
    ...base,
    staleMs: loginLockStaleMs,
    maxWaitMs: loginLockStaleMs,
    noticeAfterMs: 0,
    onWait: (h: { pid: number } | undefined) =>
      ctx.stderr.write(
        `ccsso: another ccsso${h ? ` (pid ${h.pid})` : ""} is signing in to ${describeLogin(login)}; waiting for it (up to ${loginLockStaleMs / 60_000} min)…\n`,
      ),
  };
  return withLock(join(lockDir(ctx.env), `login-${tokenCacheKey(login)}.lock`), lock, async () => {
    // Re-check: a token that appeared or changed while we waited came from the other login.
    const current = readTokenCache(ctx, login);
    if (current && current.token.accessToken !== seenBefore && current.expiresAt - ctx.now() > tokenRefreshWindowMs) {
      debugLog(ctx, "another ccsso signed in to this session while we waited; using its token");
      ctx.stderr.write(`ccsso: another ccsso has just signed in to ${describeLogin(login)}; using that session.\n`);
      return {
        accessToken: current.token.accessToken,
        expiresAt: current.expiresAt,
        flow: "another-process" as const,
        region: login.region,
      };
    }
    return loginUnlocked(ctx, cfg, login, portalUrl, opts, plan);
  });
}

/** Names from the config file: printed through the output policy. */
function describeLogin(login: SsoLogin): string {
  return sanitizeLine(login.kind === "session" ? `the SSO session ${login.sessionName}` : login.startUrl);
}

/** `portalUrl`: the start URL as resolved, sent to IAM Identity Center; `login.startUrl` names the cache. */
async function loginUnlocked(
  ctx: Context,
  cfg: AwsConfig,
  login: SsoLogin,
  portalUrl: string,
  opts: LoginOptions,
  plan: FlowPlan,
): Promise<LoginResult> {
  const { flow, reason } = plan;
  if (reason) ctx.stderr.write(`ccsso: ${reason}.\n`);
  const { resolveSsoEndpoints } = await import("../aws/endpoints");
  const { createOidcClient } = await import("../aws/oidc");
  const endpoints = resolveSsoEndpoints(cfg, opts.profile, login.region, ctx.env);
  debugLog(
    ctx,
    `IAM Identity Center OIDC endpoint ${endpoints.oidc} (region ${login.region}); token cache ${tokenCachePath(ctx.env, login)}`,
  );
  const oidc = await createOidcClient({ endpoint: endpoints.oidc, region: login.region, ctx });
  const registration = await clientRegistration(ctx, oidc, login, portalUrl, flow);
  const answer =
    flow === "pkce"
      ? await pkceFlow(ctx, oidc, endpoints.oidc, login, registration, opts, plan)
      : await deviceFlow(ctx, oidc, endpoints.oidc, login, portalUrl, registration, opts, plan);
  const saved = saveCreateTokenAnswer(ctx, login, answer, { ...registration, registrationExpiresAt: registration.expiresAt });
  return { ...saved, flow, region: login.region };
}

/** Reuse the AWS CLI's cached registration when it fits this flow and has time left (docs/protocols.md §3.2). */
async function clientRegistration(
  ctx: Context,
  oidc: OidcClient,
  login: SsoLogin,
  portalUrl: string,
  flow: "pkce" | "device",
): Promise<ClientRegistration> {
  const cached = readRegistrationCache(ctx, login);
  if (cached && cached.expiresAtMs - ctx.now() >= registrationReuseWindowMs) {
    const forAuthCode = cached.grantTypes?.includes("authorization_code") ?? false;
    if (forAuthCode === (flow === "pkce")) {
      debugLog(ctx, `reusing the client registration ${cached.clientId}`);
      const { expiresAtMs: _, ...reg } = cached;
      return reg;
    }
  }
  const clientName = login.kind === "session" ? `botocore-client-${login.sessionName}` : `botocore-client-${Math.floor(ctx.now() / 1000)}`;
  const configured = login.kind === "session" && login.scopes && login.scopes.length > 0 ? login.scopes : undefined;
  const request: RegisterClientRequest =
    flow === "pkce"
      ? {
          clientName,
          clientType: "public" as const,
          grantTypes: pkceGrantTypes,
          redirectUris: [registeredRedirectUri],
          issuerUrl: portalUrl,
          scopes: configured ?? [defaultScope],
        }
      : { clientName, clientType: "public" as const, ...(configured ? { scopes: configured } : {}) };
  debugLog(ctx, `registering an OIDC client (${flow === "pkce" ? "authorization code" : "device code"})`);
  const res = await oidc.registerClient(request);
  if (!res.clientId || !res.clientSecret || !res.clientSecretExpiresAt)
    throw new CcssoError("IAM Identity Center answered RegisterClient without a client id and secret");
  registerSecret(res.clientSecret);
  const reg: ClientRegistration = {
    clientId: res.clientId,
    clientSecret: res.clientSecret,
    expiresAt: formatCacheTimestamp(res.clientSecretExpiresAt * 1000),
  };
  if (request.scopes) reg.scopes = request.scopes;
  if (flow === "pkce") reg.grantTypes = pkceGrantTypes;
  writeRegistrationCache(ctx.env, login, reg);
  return reg;
}

interface TokenAnswer {
  accessToken?: string;
  expiresIn?: number;
  refreshToken?: string;
}

// ---------------------------------------------------------------------------------------------------
// Device code (RFC 8628)

async function deviceFlow(
  ctx: Context,
  oidc: OidcClient,
  oidcEndpoint: string,
  login: SsoLogin,
  portalUrl: string,
  reg: ClientRegistration,
  opts: LoginOptions,
  plan: FlowPlan,
): Promise<TokenAnswer> {
  const auth = await oidc.startDeviceAuthorization({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: portalUrl });
  registerSecret(auth.deviceCode);
  checkBrowserUrl(auth.verificationUri, oidcEndpoint);
  checkBrowserUrl(auth.verificationUriComplete, oidcEndpoint);
  let state = startDeviceFlow({ interval: auth.interval, expiresIn: auth.expiresIn }, ctx.now());
  const attempt = async (): Promise<{ outcome: PollOutcome; token?: TokenAnswer; error?: unknown }> => {
    try {
      const token = await oidc.createToken({
        clientId: reg.clientId,
        clientSecret: reg.clientSecret,
        grantType: "urn:ietf:params:oauth:grant-type:device_code",
        deviceCode: auth.deviceCode,
      });
      return { outcome: { kind: "token" }, token };
    } catch (e) {
      if (e instanceof RemoteError) return { outcome: { kind: "error", awsType: e.details.awsType }, error: e };
      throw e;
    }
  };
  // The AWS CLI tries once before printing anything: a pre-approved request needs no person (docs/protocols.md §3.3).
  let result = await attempt();
  if (result.token) return result.token;
  let step = nextDeviceFlowStep(state, result.outcome, ctx.now());
  if (step.next === "fail") throw deviceFailure(step.reason, step.message, login, opts.profile, result.error);
  if (step.next === "wait") state = step.state; // a slow_down here still lengthens the interval
  // Over SSH or without a display there is no browser to open here: say so, rather than "Attempting to
  // open your default browser" right after explaining why the device code is used.
  const browser = opts.browser !== false && plan.browserHere;
  printDeviceInstructions(ctx, auth, browser);
  if (plan.copyUrl) copyUrl(ctx, auth.verificationUriComplete, "the URL (it fills in the code)");
  // On a terminal, a QR code of the autofill URL lets a phone approve a login made over SSH.
  if (ctx.stderr.isTTY) {
    const { renderQr } = await import("../platform/qr-text");
    const { colorEnabled } = await import("../platform/terminal");
    try {
      ctx.stderr.write(renderQr(auth.verificationUriComplete, { color: colorEnabled(ctx.stderr, ctx.env) }) + "\n");
    } catch (e) {
      // A convenience only: the URL and code are printed above, so a URL the encoder refuses costs nothing.
      debugLog(ctx, `no QR code for the verification URL: ${(e as Error).message}`);
    }
  }
  if (browser) openBrowser(ctx, auth.verificationUriComplete, { wsl: plan.wsl });
  // While the person approves: a spinner with the time left, drawn only when stderr is a terminal.
  const spinner = await waitingSpinner(ctx, `Waiting for approval of code ${sanitizeLine(auth.userCode)}`, state.deadline);
  try {
    // Then `while True: attempt; sleep(interval)`: the first poll after printing comes at once.
    for (;;) {
      result = await attempt();
      if (result.token) return result.token;
      step = nextDeviceFlowStep(state, result.outcome, ctx.now());
      if (step.next === "done") return result.token ?? {};
      if (step.next === "fail") throw deviceFailure(step.reason, step.message, login, opts.profile, result.error);
      state = step.state;
      await ctx.sleep(step.delayMs);
    }
  } finally {
    spinner?.stop();
  }
}

/** A "waiting … (4:59 left)" spinner on a terminal; undefined elsewhere (pipes, CI, tests). */
async function waitingSpinner(ctx: Context, text: string, deadline: number) {
  if (!ctx.stderr.isTTY) return undefined;
  const { createSpinner } = await import("../platform/terminal");
  return createSpinner({ stream: ctx.stderr, now: ctx.now, text, deadline, env: ctx.env });
}

function deviceFailure(
  reason: "expired" | "denied" | "error",
  message: string,
  login: SsoLogin,
  profile: string | undefined,
  cause: unknown,
): Error {
  if (reason === "error" && cause instanceof CcssoError) return cause;
  return new CcssoError(message, `run: ${loginCommandFor(login, profile)} to try again`, { cause });
}

// The response's members are checked where it arrives (src/aws/oidc.ts), so none of them is missing here.
function printDeviceInstructions(
  ctx: Context,
  raw: Pick<StartDeviceAuthorizationResponse, "verificationUri" | "verificationUriComplete" | "userCode">,
  browser: boolean,
): void {
  // Server text: a user code or URL holding CSI/OSC 8 sequences must not reach the terminal raw.
  const auth = {
    verificationUri: sanitizeLine(raw.verificationUri),
    verificationUriComplete: sanitizeLine(raw.verificationUriComplete),
    userCode: sanitizeLine(raw.userCode),
  };
  // The AWS CLI's wording for each case (docs/protocols.md §3.3); only the opening and the autofill URL differ.
  const opening = browser
    ? [
        "Attempting to open your default browser.",
        "If the browser does not open or you wish to use a different device to authorize this request, open the following URL:",
      ]
    : ["Browser will not be automatically opened.", "Please visit the following URL:"];
  const autofill = browser
    ? []
    : ["Alternatively, you may visit the following URL which will autofill the code upon loading:", auth.verificationUriComplete, ""];
  const lines = [...opening, "", auth.verificationUri, "", "Then enter the code:", "", auth.userCode, "", ...autofill];
  ctx.stderr.write(lines.join("\n"));
}

// ---------------------------------------------------------------------------------------------------
// Authorization code with PKCE (RFC 7636) and a loopback redirect (RFC 8252)

/** Python's urllib.parse.quote(safe='-._~'), which the AWS CLI uses for the authorize URL. */
function pyQuote(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** `<scheme://host of the resolved OIDC endpoint>/authorize?…` in the AWS CLI's parameter order (docs/protocols.md §3.4). */
export function authorizeUrl(
  oidcEndpoint: string,
  p: { clientId: string; redirectUri: string; state: string; scopes: string[]; challenge: string },
): string {
  const base = new URL(oidcEndpoint);
  const params: Array<[string, string]> = [
    ["response_type", "code"],
    ["client_id", p.clientId],
    ["redirect_uri", p.redirectUri],
    ["state", p.state],
    ["code_challenge_method", "S256"],
    ["scopes", p.scopes.join(" ")],
  ];
  return `${base.protocol}//${base.host}/authorize?${params.map(([k, v]) => `${pyQuote(k)}=${pyQuote(v)}`).join("&")}&code_challenge=${p.challenge}`;
}

const closeTabPage = (ok: boolean, detail: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>ccsso</title></head><body style="font-family:sans-serif;margin:3em">` +
  `<h1>${ok ? "Signed in" : "Sign-in failed"}</h1><p>${detail}</p><p>You can close this tab and return to the terminal.</p></body></html>\n`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type CallbackResult = { code: string } | { error: string; description?: string };

/** What the loopback listener does with one request: answer it, and maybe end the wait with a result. */
export interface CallbackDecision {
  status: number;
  body: string;
  result?: CallbackResult;
}

/**
 * The loopback listener's rule (RFC 8252 §8.1, §8.10): only the browser coming back from the authorize
 * page — `GET /oauth/callback` on the Host we sent it to, carrying the exact `state` we made — may end
 * the wait, whether with a code or an error. Any other request (another local user's `curl` with
 * `error=`, a forged code, a DNS-rebound page with a foreign Host) gets a 404 and changes nothing, so
 * it can neither abandon the login nor put its text on our terminal.
 */
export function judgeCallback(
  req: { method: string; url: string; host: string | null },
  expect: { port: number; state: string },
): CallbackDecision {
  const notFound = { status: 404, body: "not found\n" };
  if (req.method !== "GET") return notFound;
  if (req.host !== `127.0.0.1:${expect.port}` && req.host !== `localhost:${expect.port}`) return notFound;
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return notFound;
  }
  if (url.pathname !== "/oauth/callback") return notFound;
  const q = url.searchParams;
  const state = q.get("state");
  if (state === null || !constantTimeEqual(state, expect.state)) return notFound;
  const error = q.get("error");
  if (error !== null) {
    return {
      status: 200,
      body: closeTabPage(false, `IAM Identity Center said: ${escapeHtml(error)}`),
      result: { error, description: q.get("error_description") ?? undefined },
    };
  }
  const code = q.get("code");
  if (!code) return notFound;
  return { status: 200, body: closeTabPage(true, "ccsso has your sign-in."), result: { code } };
}

async function pkceFlow(
  ctx: Context,
  oidc: OidcClient,
  oidcEndpoint: string,
  login: SsoLogin,
  reg: ClientRegistration,
  opts: LoginOptions,
  plan: FlowPlan,
): Promise<TokenAnswer> {
  const verifier = generateCodeVerifier();
  registerSecret(verifier);
  const state = generateState();
  let deliver!: (r: CallbackResult) => void;
  let delivered = false;
  const callback = new Promise<CallbackResult>((r) => (deliver = r));
  let server: ReturnType<typeof Bun.serve>;
  // Bound before the URL is printed or the browser opens, so the browser can never arrive first.
  const port = plan.redirectPort ?? 0;
  try {
    server = Bun.serve({
      hostname: "127.0.0.1",
      port,
      fetch(req, srv) {
        // Bound to 127.0.0.1 already; refuse anything else that somehow arrives (another host's request
        // must never be able to hand us a code).
        const peer = srv.requestIP(req)?.address ?? "";
        if (peer !== "127.0.0.1" && peer !== "::ffff:127.0.0.1") return new Response("forbidden\n", { status: 403 });
        // Once the wait has ended, nothing more is accepted.
        const d = delivered
          ? { status: 404, body: "not found\n" }
          : judgeCallback({ method: req.method, url: req.url, host: req.headers.get("host") }, { port: srv.port ?? 0, state });
        if (d.result) {
          delivered = true;
          deliver(d.result);
        }
        return new Response(d.body, {
          status: d.status,
          headers: { "content-type": d.status === 200 ? "text/html; charset=utf-8" : "text/plain; charset=utf-8" },
        });
      },
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (port !== 0 && code === "EADDRINUSE") {
      throw new CcssoError(
        `port ${port} on 127.0.0.1 is already in use, so the sign-in callback cannot listen there`,
        "choose another with --redirect-port (and forward that one), or stop what listens on it",
      );
    }
    if (port !== 0 && code === "EACCES")
      throw new CcssoError(`port ${port} on 127.0.0.1 needs privileges to listen on`, "choose a port above 1023 with --redirect-port");
    throw new CcssoError(
      `Unable to initialize the OAuth 2.0 authorization callback handler: ${(e as Error).message}`,
      "run again with --use-device-code, which needs no callback",
    );
  }
  // Ctrl-C ends the wait as an interruption: the listener is closed and the login lock released on the way out.
  let interrupt!: () => void;
  const interrupted = new Promise<"interrupted">((r) => (interrupt = () => r("interrupted")));
  process.on("SIGINT", interrupt);
  try {
    const redirectUri = `http://127.0.0.1:${server.port}/oauth/callback`;
    const url = checkBrowserUrl(
      authorizeUrl(oidcEndpoint, {
        clientId: reg.clientId,
        redirectUri,
        state,
        scopes: reg.scopes && reg.scopes.length > 0 ? reg.scopes : [defaultScope],
        challenge: codeChallengeS256(verifier),
      }),
      oidcEndpoint,
    );
    if (plan.redirectPort !== undefined && plan.ssh && !ctx.env.BROWSER?.trim()) {
      // Nothing here can open the person's browser: it is on their workstation, at the other end of SSH.
      const forward = `${plan.redirectPort}:127.0.0.1:${plan.redirectPort}`;
      ctx.stderr.write(
        `On your workstation, forward port ${plan.redirectPort} to this host first:\n\n  ${sanitizeLine(sshForwardCommand(ctx.env, plan.redirectPort))}\n\n` +
          `(or, in this SSH session, press Enter, type ~C and enter: -L ${forward})\n` +
          `Then open this URL in your workstation's browser:\n\n${url}\n\n`,
      );
    } else if (opts.browser === false || !plan.browserHere) {
      ctx.stderr.write(`Browser will not be automatically opened.\nPlease visit the following URL:\n\n${url}\n\n`);
      // --use-browser over SSH: the page redirects to 127.0.0.1 of whichever machine the browser is on.
      if (plan.ssh && plan.redirectPort === undefined) {
        ctx.stderr.write(
          `ccsso: the sign-in comes back to 127.0.0.1:${server.port} of the machine whose browser opens it; from your workstation, use --redirect-port with an ssh -L forward instead.\n`,
        );
      }
    } else {
      ctx.stderr.write(
        "Attempting to open your default browser. If the browser does not open, open the following URL.\n" +
          "If you are unable to open the URL on this device, run this command again with the '--use-device-code' option.\n\n" +
          `${url}\n\n`,
      );
      openBrowser(ctx, url, { wsl: plan.wsl });
    }
    if (plan.copyUrl) copyUrl(ctx, url, "the sign-in URL");
    const limit = opts.callbackTimeoutMs ?? callbackTimeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), limit)));
    const spinner = await waitingSpinner(ctx, "Waiting for the browser", ctx.now() + limit);
    const result = await Promise.race([callback, timeout, interrupted]);
    spinner?.stop();
    clearTimeout(timer);
    if (result === "interrupted") {
      // The terminal's "^C" follows the instructions; the line goes on a fresh line of its own.
      if (ctx.stderr.isTTY) ctx.stderr.write("\r\x1b[2K");
      throw new InterruptedError(`interrupted: ${INTERRUPTED_LOGIN}`);
    }
    if (result === "timeout") {
      throw new CcssoError(
        `the browser did not come back within ${Math.round(limit / 1000)} s`,
        `run: ${loginCommandFor(login, opts.profile)} again, or add --use-device-code`,
      );
    }
    if ("error" in result) {
      const denied = result.error === "access_denied";
      throw new CcssoError(
        denied
          ? "the sign-in request was denied in the browser"
          : `the sign-in failed in the browser: ${result.error}${result.description ? ` (${result.description})` : ""}`,
        `run: ${loginCommandFor(login, opts.profile)} to try again`,
      );
    }
    registerSecret(result.code);
    try {
      return await oidc.createToken({
        clientId: reg.clientId,
        clientSecret: reg.clientSecret,
        grantType: "authorization_code",
        redirectUri,
        codeVerifier: verifier,
        code: result.code,
      });
    } catch (e) {
      if (e instanceof RemoteError && e.details.awsType === "ExpiredTokenException") {
        throw new CcssoError("the sign-in code expired before it could be used", `run: ${loginCommandFor(login, opts.profile)} again`, {
          cause: e,
        });
      }
      throw e;
    }
  } finally {
    process.off("SIGINT", interrupt);
    await stopListener(server);
  }
}

/** OSC 52 through the terminal, saying so in one line; a pipe or a file gets nothing (nor a claim). */
function copyUrl(ctx: Context, url: string, what: string): void {
  if (copyThroughTerminal(ctx, url)) ctx.stderr.write(`ccsso: asked your terminal to copy ${what} to the clipboard (OSC 52).\n`);
  else debugLog(ctx, "not copying the URL: stderr is not a terminal");
}

/**
 * Stop accepting, but let the page already being answered reach the browser (the AWS CLI shows its
 * success or failure page too; a cut connection is "Empty reply from server"). A browser holding the
 * connection open is cut after a short grace.
 */
async function stopListener(server: ReturnType<typeof Bun.serve>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const graceful = Promise.resolve(server.stop(false)).then(() => "stopped" as const);
  const grace = new Promise<"grace">((r) => (timer = setTimeout(() => r("grace"), callbackPageFlushMs)));
  const how = await Promise.race([graceful, grace]);
  clearTimeout(timer);
  if (how === "grace") server.stop(true);
}
