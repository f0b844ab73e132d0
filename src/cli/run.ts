// argv → command → exit code. Top-level help is rendered from the command table; per-command flags
// and help come from cac, registered from each command's typed definition (command-model.ts).
import { cac } from "cac";
import { didYouMean } from "../core/did-you-mean";
import { commandLine } from "../core/shell-quote";
import { UsageError } from "../core/errors";
import type { Context } from "../platform/context";
import { GROUPS } from "./command-defs";
import { type CommandDef, flagName, positionalUsage } from "./command-model";
import { definitions, matchCommand } from "./command-table";
import { renderError } from "./render-error";
import { VERSION, versionText } from "../version";

const visible = () => definitions.filter((c) => !c.hidden);
const usageOf = (c: CommandDef) => [...c.path, positionalUsage(c.args)].filter(Boolean).join(" ");

/** "  sso login  Sign in …" rows, names padded to one column. */
function commandRows(defs: readonly CommandDef[]): string[] {
  const width = Math.max(...defs.map((c) => usageOf(c).length));
  return defs.map((c) => `  ${usageOf(c).padEnd(width)}  ${c.summary}`);
}

export const globalHelp = (): string => {
  const lines = commandRows(visible());
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

/** `ccsso sso --help`, `ccsso help sso`: what the group is for and its commands. */
export function groupHelp(group: keyof typeof GROUPS): string {
  return [
    `${GROUPS[group]}`,
    "",
    "Usage:",
    `  ccsso ${group} <command> [options]`,
    "",
    "Commands:",
    ...commandRows(visible().filter((c) => c.path[0] === group)),
    "",
    `Run ccsso help ${group} <command> for a command's options.`,
    "",
  ].join("\n");
}

const isGroup = (word: string | undefined): word is keyof typeof GROUPS => word !== undefined && Object.hasOwn(GROUPS, word);

/** The usage error for words that name no command, with git's kind of "did you mean". */
function unknownCommand(words: readonly string[]): UsageError {
  const group = isGroup(words[0]) ? words[0] : undefined;
  const typed = group ? words[1]! : words[0]!;
  const candidates = group
    ? visible()
        .filter((c) => c.path[0] === group)
        .map((c) => c.path.slice(1).join(" "))
    : [...new Set([...visible().map((c) => c.path[0]!), "help", "version"])];
  const full = (w: string) => `"ccsso ${group ? `${group} ` : ""}${w}"`;
  const guesses = didYouMean(typed, candidates).map(full);
  const shown = group ? `${group} ${typed}` : typed;
  const help = group ? `ccsso help ${group}` : "ccsso --help";
  return new UsageError(
    `unknown command "${shown}"`,
    guesses.length > 0 ? `did you mean ${guesses.join(" or ")}? (${help} lists them)` : `run: ${help}`,
  );
}

/**
 * The flags given (before `--`) against the command's declarations: an unknown one gets a did-you-mean
 * from those it has, a value given to a switch (`--json=yes`) or missing from a text option
 * (`--profile` last, or followed by another flag) is named.
 */
function checkOptionWords(spec: CommandDef, argv: readonly string[]): void {
  const declared = new Map(Object.values(spec.options).map((o) => [flagName(o), o] as const));
  const known = [...declared.keys(), "--help", "-h", "--debug"];
  const path = spec.path.join(" ");
  const end = argv.indexOf("--");
  const words = end === -1 ? argv : argv.slice(0, end);
  words.forEach((word, i) => {
    if (!word.startsWith("-") || word === "-") return;
    const eq = word.indexOf("=");
    const name = eq === -1 ? word : word.slice(0, eq);
    if (!known.includes(name)) {
      const guesses = didYouMean(
        name,
        known.filter((k) => k.startsWith("--")),
      );
      // `ccsso exec --profile dev aws s3 ls --recursive`: a flag after the command's name is the command's;
      // `--` hands it on. Before it, a flag is a mistyped one of ours.
      const passOn = spec.args?.some((a) => a.variadic) ? withDoubleDash(spec, words) : undefined;
      const hint = passOn ? `run: ${passOn}` : guesses.length > 0 ? `did you mean ${guesses.join(" or ")}?` : `run: ccsso help ${path}`;
      throw new UsageError(`unknown option ${name} for ccsso ${path}`, hint);
    }
    const def = declared.get(name);
    if (def && def.kind !== "text" && eq !== -1) throw new UsageError(`${name} takes no value`, `run: ccsso help ${path}`);
    const next = words[i + 1];
    if (def?.kind === "text" && eq === -1 && (next === undefined || (next.startsWith("-") && next !== "-"))) {
      throw new UsageError(`${name} needs a value`, `usage: ${def.flag}`);
    }
  });
}

/** The command line again with `--` before the first word that is not ours, or undefined when there is none. */
function withDoubleDash(spec: CommandDef, words: readonly string[]): string | undefined {
  const declared = new Map(Object.values(spec.options).map((o) => [flagName(o), o] as const));
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const def = declared.get(word.split("=")[0]!);
    if (def) {
      if (def.kind === "text" && !word.includes("=")) i++;
      continue;
    }
    if (word === "--debug") continue;
    if (word.startsWith("-")) return undefined;
    return commandLine(["ccsso", ...spec.path, ...words.slice(0, i), "--", ...words.slice(i)]);
  }
  return undefined;
}

/** Too few or too many positional arguments: a usage error naming the command's usage line. */
function positionalProblem(spec: CommandDef, args: readonly string[]): { error: UsageError; missing: boolean } | undefined {
  const declared = spec.args ?? [];
  const usage = `usage: ccsso ${usageOf(spec)}${Object.keys(spec.options).length > 0 ? " [options]" : ""}`;
  const missing = declared.find((a, i) => a.required && args[i] === undefined);
  if (missing) {
    const choices = missing.completes && "words" in missing.completes ? ` (${missing.completes.words.join(", ")})` : "";
    return { error: new UsageError(`missing <${missing.name}>${choices}`, usage), missing: true };
  }
  if (!declared.some((a) => a.variadic) && args.length > declared.length) {
    return { error: new UsageError(`unexpected argument ${JSON.stringify(args[declared.length])}`, usage), missing: false };
  }
  return undefined;
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
  for (const o of Object.values(spec.options))
    cmd.option(o.flag, o.description, o.kind === "text" && o.default !== undefined ? { default: o.default } : undefined);
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

/** Options ccsso itself takes before a command word. */
const GLOBAL_OPTIONS = ["--help", "-h", "--version", "-v", "--debug"];

export async function run(argv: string[], ctx: Context): Promise<number> {
  try {
    // `ccsso --debug sso status`, as git takes its own options before the command.
    while (argv[0] === "--debug") {
      ctx.debug = true;
      argv = argv.slice(1);
    }
    if (argv[0]?.startsWith("-") && !GLOBAL_OPTIONS.includes(argv[0])) {
      const name = argv[0].split("=")[0]!;
      const guesses = didYouMean(
        name,
        GLOBAL_OPTIONS.filter((o) => o.startsWith("--")),
      );
      throw new UsageError(`unknown option ${name}`, guesses.length > 0 ? `did you mean ${guesses.join(" or ")}?` : "run: ccsso --help");
    }
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h") {
      ctx.stdout.write(globalHelp());
      return argv.length === 0 ? 2 : 0;
    }
    if (argv[0] === "--version" || argv[0] === "-v" || argv[0] === "version") {
      ctx.stdout.write(versionText());
      return 0;
    }
    if (argv[0] === "help") {
      const words = argv.slice(1);
      const m = matchCommand(words);
      if (words.length === 0 || (words.length === 1 && words[0] === "help")) ctx.stdout.write(globalHelp());
      else if (m && m.rest.length === 0) ctx.stdout.write(commandHelp(m.command.def));
      else if (!m && words.length === 1 && isGroup(words[0])) ctx.stdout.write(groupHelp(words[0]));
      else if (m) throw new UsageError(`unknown command "${words.join(" ")}"`, `run: ccsso help ${m.command.def.path.join(" ")}`);
      else throw unknownCommand(words);
      return 0;
    }
    const m = matchCommand(argv);
    if (!m) {
      if (isGroup(argv[0]) && (argv.length === 1 || argv[1]!.startsWith("-"))) {
        // `ccsso sso --help` asks for the group; `ccsso sso` alone is a usage error that shows it, as
        // `ccsso` alone shows the global help.
        ctx.stdout.write(groupHelp(argv[0]));
        return argv[1] === "--help" || argv[1] === "-h" ? 0 : 2;
      }
      throw unknownCommand(argv);
    }
    const spec = m.command.def;
    const cli = buildCac(spec);
    let parsed: { args: readonly unknown[]; options: Record<string, unknown> };
    try {
      parsed = cli.parse(["ccsso", "ccsso", ...markValues(m.rest)], { run: false });
      if (!parsed.options.help) checkOptionWords(spec, m.rest);
    } catch (e) {
      if (e instanceof UsageError) throw e;
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
    const problem = positionalProblem(spec, args);
    if (problem?.missing) {
      // As git does for a missing argument: the one-line error, then the command's help.
      const code = renderError(problem.error, ctx);
      ctx.stderr.write("\n" + commandHelp(spec));
      return code;
    }
    if (problem) throw problem.error;
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
