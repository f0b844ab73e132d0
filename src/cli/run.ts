// argv → command → exit code. Top-level help is rendered from the command table; per-command flags
// and help come from cac, registered from each command's typed definition (command-model.ts).
import { cac } from "cac";
import { UsageError } from "../core/errors";
import type { Context } from "../platform/context";
import { type CommandDef, positionalUsage } from "./command-model";
import { commands, matchCommand } from "./command-table";
import { renderError } from "./render-error";
import { VERSION, COMMIT, TARGET } from "../version";

export const globalHelp = (): string => {
  const visible = commands.map((c) => c.def).filter((c) => !c.hidden);
  const usage = (c: CommandDef) => [...c.path, positionalUsage(c.args)].filter(Boolean).join(" ");
  const width = Math.max(...visible.map((c) => usage(c).length));
  const lines = visible.map((c) => {
    const name = usage(c);
    return `  ${name.padEnd(width)}  ${c.summary}`;
  });
  return [
    `ccsso ${VERSION} — AWS IAM Identity Center sign-in and CodeCommit git credentials in one binary`,
    "",
    "Usage:",
    "  ccsso <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Global options:",
    "  -h, --help     Show help (also: ccsso help <command>)",
    "  -v, --version  Show version",
    "  --debug        Print details to stderr (secrets redacted)",
    "",
    "Exit codes: 0 success, 1 error, 2 usage error, 3 login required, 130 interrupted.",
    "Get started: ccsso configure sso, then ccsso sso login, then ccsso setup-git.",
    "",
  ].join("\n");
};

export function versionText(): string {
  return `ccsso ${VERSION} (commit ${COMMIT}, ${TARGET})\n`;
}

export function commandHelp(spec: CommandDef): string {
  const cli = buildCac(spec);
  let text = "";
  // cac prints help with console.info; capture it so the caller decides where it goes.
  const orig = console.info;
  console.info = (...a: unknown[]) => {
    text += a.join(" ") + "\n";
  };
  try {
    (cli.matchedCommand ?? cli.commands[0] ?? cli.globalCommand).outputHelp();
  } finally {
    console.info = orig;
  }
  return text;
}

function buildCac(spec: CommandDef) {
  const name = `ccsso ${spec.path.join(" ")}`;
  const cli = cac(name);
  const cmd = cli.command(positionalUsage(spec.args), spec.summary);
  for (const o of Object.values(spec.options)) cmd.option(o.flag, o.description, o.kind === "text" && o.default !== undefined ? { default: o.default } : undefined);
  cmd.option("--debug", "Print details to stderr (secrets redacted)");
  for (const ex of spec.examples ?? []) cmd.example(ex);
  cli.help((sections) => {
    // cac adds a "name/version" header, a "Commands" list and a "For more info" footer meant for
    // multi-command programs; each of our commands is a program of its own, so keep only the rest.
    const kept = sections.filter(
      (s) => !(s.title === undefined && s.body === name) && s.title !== "Commands" && !s.title?.startsWith("For more info"),
    );
    for (const s of kept) {
      // `--no-x` flags are stored by cac as x=true by default; "(default: true)" would only confuse.
      if (s.title === "Options") s.body = s.body.replace(/^(\s+--no-\S+.*?)\s*\(default: true\)$/gm, "$1").replace(/ +$/gm, "");
    }
    const usage = kept.findIndex((s) => s.title === "Usage");
    kept.splice(usage + 1, 0, { body: spec.summary + (spec.details ? "\n\n" + spec.details : "") });
    return kept;
  });
  // We print help ourselves (to ctx.stdout); stop cac from printing it during parse().
  (cli as unknown as { showHelpOnExit: boolean }).showHelpOnExit = false;
  return cli;
}

export async function run(argv: string[], ctx: Context): Promise<number> {
  try {
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h") {
      ctx.stdout.write(globalHelp());
      return argv.length === 0 ? 2 : 0;
    }
    if (argv[0] === "--version" || argv[0] === "-v" || argv[0] === "version") {
      ctx.stdout.write(versionText());
      return 0;
    }
    if (argv[0] === "help") {
      const m = matchCommand(argv.slice(1));
      if (argv.length === 1) ctx.stdout.write(globalHelp());
      else if (!m) throw new UsageError(`unknown command "${argv.slice(1).join(" ")}"`, "run: ccsso help");
      else ctx.stdout.write(commandHelp(m.command.def));
      return 0;
    }
    const m = matchCommand(argv);
    if (!m) {
      const group = commands.map((c) => c.def).filter((c) => c.path[0] === argv[0]);
      if (group.length > 0) {
        const subs = group.map((c) => c.path.slice(1).join(" ")).join(", ");
        throw new UsageError(
          argv[1] ? `unknown command "${argv[0]} ${argv[1]}"` : `"${argv[0]}" needs a subcommand: ${subs}`,
          `run: ccsso help ${argv[0]} ${group[0]!.path[1]}`,
        );
      }
      throw new UsageError(`unknown command "${argv[0]}"`, "run: ccsso --help");
    }
    const spec = m.command.def;
    const cli = buildCac(spec);
    let parsed: { args: readonly unknown[]; options: Record<string, unknown> };
    try {
      parsed = cli.parse(["ccsso", "ccsso", ...markValues(m.rest)], { run: false });
      if (!parsed.options.help) cli.matchedCommand?.checkUnknownOptions();
      if (!parsed.options.help) cli.matchedCommand?.checkRequiredArgs();
      if (!parsed.options.help) cli.matchedCommand?.checkOptionValue();
    } catch (e) {
      throw new UsageError(unmark((e as Error).message.replace(/^error: /i, "")), `run: ccsso help ${spec.path.join(" ")}`);
    }
    if (parsed.options.help) {
      ctx.stdout.write(commandHelp(spec));
      return 0;
    }
    if (parsed.options.debug) ctx.debug = true;
    const args = parsed.args.map((a) => unmark(String(a)));
    const dd = parsed.options["--"];
    if (Array.isArray(dd)) args.push(...dd.map(String));
    const options = Object.fromEntries(Object.entries(parsed.options).map(([k, v]) => [k, unmarkValue(v)]));
    const code = await m.command.invoke(options, args, ctx);
    return code ?? 0;
  } catch (e) {
    return renderError(e, ctx);
  }
}

// cac (through mri) turns any argument that looks like a number into one: `--account-id 012345678901`
// would arrive as 12345678901 and `ccsso clone 2024` as 2024. Every word that could be a value (not an
// option name, and not after `--`, which cac passes through untouched) gets a prefix that no number
// has, and the prefix is taken off again after parsing, so values reach commands exactly as typed.
const MARK = "\u0000";

function markValues(argv: readonly string[]): string[] {
  const end = argv.indexOf("--");
  return argv.map((w, i) => {
    if (end !== -1 && i >= end) return w;
    if (!w.startsWith("-")) return MARK + w;
    const eq = w.indexOf("=");
    return w.startsWith("--") && eq > 2 ? `${w.slice(0, eq + 1)}${MARK}${w.slice(eq + 1)}` : w;
  });
}

function unmark(s: string): string {
  return s.replaceAll(MARK, "");
}

function unmarkValue(v: unknown): unknown {
  if (typeof v === "string") return unmark(v);
  if (Array.isArray(v)) return v.map(unmarkValue);
  return v;
}
