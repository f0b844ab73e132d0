// How a command is described: its options are declared once, as typed values, and everything else is
// derived from that one declaration — the cac registration (parsing and --help), the completion scripts,
// and the type of the options object the command's run function receives. gh does the same with a Go
// options struct filled by the flag parser; here the struct's type is computed from the declaration.
//
// This file imports no parser and no command: the command table and the completion generator both build
// on it, and neither needs the other.
import { UsageError } from "../core/errors";
import { ALLOW_UNKNOWN_REGION_FLAG, regionProblem } from "../core/regions";
import type { Context } from "../platform/context";

// ───────────────────────────── option declarations ─────────────────────────────

/** Where a value can be completed from: fixed words, a `ccsso __complete` kind, directories, or any file. */
export type ValueSource = { words: readonly string[] } | { dynamic: DynamicKind } | { dirs: true } | { any: true };
export type DynamicKind = "profiles" | "sso-sessions" | "regions" | "repos" | "branches";

interface OptionBase {
  /** In cac syntax: "--profile <name>", "--json", "--no-browser". */
  readonly flag: string;
  readonly description: string;
}

/** An option that takes a value: `--profile dev`. Without a default it is undefined when not given. */
export interface TextOption extends OptionBase {
  readonly kind: "text";
  readonly default?: string;
  readonly completes?: ValueSource;
  /** The value names an AWS Region: checked against the known Regions before the command runs. */
  readonly region?: boolean;
}

/** A switch: `--json` is true when given, false otherwise. */
export interface SwitchOption extends OptionBase {
  readonly kind: "switch";
}

/** A `--no-x` switch: the value (named x) is false when the flag is given, true otherwise. */
export interface NegatedOption extends OptionBase {
  readonly kind: "negated";
}

export type OptionDef = TextOption | SwitchOption | NegatedOption;
export type OptionDefs = Readonly<Record<string, OptionDef>>;

/** The value a run function sees for one declared option. */
export type OptionValue<D extends OptionDef> = D extends { kind: "text"; default: string }
  ? string
  : D extends { kind: "text" }
    ? string | undefined
    : boolean;

/** The options object a command's run function receives, computed from its declaration. */
export type Options<O extends OptionDefs> = { readonly [K in keyof O]: OptionValue<O[K]> };

type TextExtra = { completes?: ValueSource; region?: boolean };
export function text(flag: string, description: string, extra?: TextExtra): TextOption & { default?: undefined };
export function text(flag: string, description: string, extra: TextExtra & { default: string }): TextOption & { default: string };
export function text(flag: string, description: string, extra: TextExtra & { default?: string } = {}): TextOption {
  if (!/^--[a-z][a-z0-9-]* <[^>]+>$/.test(flag)) throw new Error(`text option needs "--name <value>": ${flag}`);
  return { kind: "text", flag, description, ...extra };
}

export function toggle(flag: string, description: string): SwitchOption {
  if (!/^--[a-z][a-z0-9-]*$/.test(flag) || flag.startsWith("--no-")) throw new Error(`switch needs "--name": ${flag}`);
  return { kind: "switch", flag, description };
}

export function negated(flag: string, description: string): NegatedOption {
  if (!/^--no-[a-z][a-z0-9-]*$/.test(flag)) throw new Error(`negated switch needs "--no-name": ${flag}`);
  return { kind: "negated", flag, description };
}

/** "--profile <name>" → "--profile"; "--no-browser" → "--no-browser". */
export function flagName(def: OptionDef): string {
  return def.flag.split(" ")[0]!;
}

/** The key cac stores a flag's value under: "--sso-session" → "ssoSession", "--no-browser" → "browser". */
export function parserKey(def: OptionDef): string {
  const bare = flagName(def).replace(/^--(no-)?/, "");
  return bare.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

// ───────────────────────────── positional arguments ─────────────────────────────

export interface PositionalDef {
  readonly name: string;
  readonly required?: boolean;
  /** Takes every remaining argument (and everything after `--`). Only the last may. */
  readonly variadic?: boolean;
  readonly completes?: ValueSource;
}

/** The usage form cac and the help show: "<repository> [directory]", "[...command]". */
export function positionalUsage(args: readonly PositionalDef[] | undefined): string {
  return (args ?? []).map((a) => (a.variadic ? `[...${a.name}]` : a.required ? `<${a.name}>` : `[${a.name}]`)).join(" ");
}

// ───────────────────────────── commands ─────────────────────────────

/** What a person sees of a command: its words, arguments, options, help. */
export interface CommandDef<O extends OptionDefs = OptionDefs> {
  readonly path: readonly string[];
  readonly args?: readonly PositionalDef[];
  readonly summary: string;
  /** Longer help printed under the usage line. */
  readonly details?: string;
  readonly options: O;
  readonly examples?: readonly string[];
  readonly hidden?: boolean;
}

/** The options object of a command definition: `run(opts: OptionsOf<typeof whoami>, …)`. */
export type OptionsOf<C> = C extends CommandDef<infer O> ? Options<O> : never;

// biome-ignore lint/suspicious/noConfusingVoidType: a run function returns an exit code, or nothing for 0
export type RunFunction<O extends OptionDefs> = (opts: Options<O>, args: string[], ctx: Context) => Promise<number | void>;

/** A table entry: the definition, and how to run it once the parser has read argv. */
export interface Command {
  readonly def: CommandDef;
  /** `parsed` is the parser's option bag (keys as `parserKey` gives them); `args` the positionals. */
  // biome-ignore lint/suspicious/noConfusingVoidType: what the run function returns, passed on
  invoke(parsed: Readonly<Record<string, unknown>>, args: string[], ctx: Context): Promise<number | void>;
}

/**
 * Pairs a definition with its module, loaded only when the command runs. The module's run function must
 * accept exactly `Options<O>`: a module that expects an option the definition lacks does not compile.
 */
export function command<O extends OptionDefs>(def: CommandDef<O>, load: () => Promise<{ run: RunFunction<O> }>): Command {
  return {
    def,
    async invoke(parsed, args, ctx) {
      const opts = readOptions(def.options, parsed);
      checkRegionOptions(def.options, opts);
      const mod = await load();
      return mod.run(opts, args, ctx);
    },
  };
}

/**
 * Every option declared as a Region is checked by the one Region rule (src/core/regions.ts) before the
 * command runs, so `--sso-region us-esat-1` is refused with the Region meant, wherever it is taken.
 * The command's `--allow-unknown-region` lets through a Region newer than the list.
 */
function checkRegionOptions(defs: OptionDefs, values: Readonly<Record<string, string | boolean | undefined>>): void {
  const allowUnknown = Object.entries(defs).some(([key, d]) => flagName(d) === ALLOW_UNKNOWN_REGION_FLAG && values[key] === true);
  for (const [key, d] of Object.entries(defs)) {
    const value = values[key];
    if (d.kind !== "text" || !d.region || typeof value !== "string") continue;
    const why = regionProblem(value.trim(), { allowUnknown });
    if (why) throw new UsageError(`${flagName(d)}: ${why}`);
  }
}

/**
 * The typed options from the parser's bag. A text option given twice keeps the last value, as git and
 * gh do; a value the parser turned into a number is given back as text (the parser is fed marked tokens
 * so this should not happen — see run.ts — but a number here must never reach a command).
 */
export function readOptions<O extends OptionDefs>(defs: O, parsed: Readonly<Record<string, unknown>>): Options<O> {
  const out: Record<string, string | boolean | undefined> = {};
  for (const [key, def] of Object.entries(defs)) {
    const raw = parsed[parserKey(def)];
    if (def.kind === "text") {
      const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
      out[key] = typeof last === "string" || typeof last === "number" ? String(last) : def.default;
    } else if (def.kind === "negated") {
      out[key] = raw !== false;
    } else {
      out[key] = raw === true || (Array.isArray(raw) && raw.length > 0);
    }
  }
  // The one place the declaration and the value bag meet: every key of O was filled above with the
  // kind of value OptionValue<O[K]> names.
  return out as Options<O>;
}

/** A command's options as if only `given` had been typed (what tests call run functions with). */
export function optionsWith<O extends OptionDefs>(def: CommandDef<O>, given: Partial<Options<O>> = {}): Options<O> {
  return { ...readOptions(def.options, {}), ...given };
}
