// Shapes shared across layers. Pure data, no behaviour.

/** Environment variables as a plain map: core functions that follow AWS's precedence rules take it as
 * data (src/platform/context.ts re-exports it for the layers above). */
export type Env = Record<string, string | undefined>;

/** Credentials for signing: from the environment, an SSO role, static keys, or credential_process. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When they stop working; undefined for long-lived keys. */
  expiration?: Date;
  accountId?: string;
  /** Where they came from, for messages and `doctor`: "env", "sso", "static", "process", "assume-role", "container" (an endpoint such as `ccsso serve`), "login" (an `aws login` session). */
  source: "env" | "sso" | "static" | "process" | "assume-role" | "container" | "login";
  /**
   * For an assumed role: true when it was assumed with an IAM user's long-lived keys, false when with
   * temporary credentials (role chaining, an SSO role). The console federation endpoint accepts a
   * SessionDuration only in the first case.
   */
  assumedWithLongTermKeys?: boolean;
  /** For an assumed role: "role GitAccess in 222222222222, from profile dev (IAM Identity Center role)". */
  description?: string;
}

/** An sso-session section (`[sso-session NAME]`) as used for login and tokens. */
export interface SsoSessionLogin {
  kind: "session";
  sessionName: string;
  startUrl: string;
  region: string;
  /** Parsed sso_registration_scopes; undefined when the key is absent (matters for the registration cache key). */
  scopes?: string[];
}

/** A legacy SSO profile: sso_start_url and sso_region in the profile itself, no refresh. */
export interface SsoLegacyLogin {
  kind: "legacy";
  startUrl: string;
  region: string;
}

export type SsoLogin = SsoSessionLogin | SsoLegacyLogin;

/** A profile that gets role credentials from IAM Identity Center. */
export interface SsoProfile {
  profile: string;
  login: SsoLogin;
  accountId: string;
  roleName: string;
}

/** The AWS CLI token cache file (docs/protocols.md §2.3); dates kept as the strings read. */
export interface SsoTokenFile {
  startUrl?: string;
  region?: string;
  accessToken: string;
  expiresAt: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: string;
  refreshToken?: string;
}
