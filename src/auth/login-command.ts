// The exact command that fixes a missing or expired session, named in every LoginRequiredError.
import { commandLine } from "../core/shell-quote";
import type { SsoLogin } from "../core/types";

export function loginCommandFor(login: SsoLogin, profile?: string): string {
  if (profile !== undefined) return commandLine(["ccsso", "sso", "login", "--profile", profile]);
  if (login.kind === "session") return commandLine(["ccsso", "sso", "login", "--sso-session", login.sessionName]);
  return "ccsso sso login";
}

/** "profile dev" / "SSO session corp" / "start URL …": what the message is about. */
export function sessionSubject(login: SsoLogin, profile?: string): string {
  if (profile !== undefined) return `profile ${profile}`;
  return login.kind === "session" ? `SSO session ${login.sessionName}` : `start URL ${login.startUrl}`;
}
