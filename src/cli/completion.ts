// `ccsso completion bash|zsh|fish`: a completion script generated from the command definitions, so a
// new command or flag is completable the moment it is declared. Names that live in files or in AWS
// (profiles, sso-sessions, regions in the config, repository names) are asked of the hidden
// `ccsso __complete KIND` at TAB time; it prints one candidate per line and stays silent when anything
// goes wrong. The definitions are passed in (see command-table.ts), never imported from the table.
import { UsageError } from "../core/errors";
import { SHELLS, type completion } from "./command-defs";
import { type CommandDef, flagName, type OptionsOf, type RunFunction, type ValueSource } from "./command-model";

export type Shell = (typeof SHELLS)[number];
export { SHELLS };

const isShell = (s: string | undefined): s is Shell => SHELLS.some((x) => x === s);

/** The `completion` command's run function, over the given command definitions. */
export function completionCommand(defs: readonly CommandDef[]): RunFunction<(typeof completion)["options"]> {
  return async (_opts: OptionsOf<typeof completion>, args, ctx) => {
    const shell = args[0];
    if (!isShell(shell)) {
      throw new UsageError(`unknown shell "${shell}": choose bash, zsh, fish or powershell`, "run: ccsso completion bash");
    }
    ctx.stdout.write(completionScript(shell, defs));
    return 0;
  };
}

// ───────────────────────────── the model the scripts are generated from ─────────────────────────────

export interface FlagModel {
  names: string[];
  takesValue: boolean;
  description: string;
}

export interface CommandModel {
  /** "sso login", "whoami". */
  path: string;
  summary: string;
  flags: FlagModel[];
  /** What each positional argument completes to, in order; the last one repeats. */
  positionals: ValueSource[];
}

const GLOBAL_FLAGS: FlagModel[] = [
  { names: ["--help", "-h"], takesValue: false, description: "Show help" },
  { names: ["--debug"], takesValue: false, description: "Print details to stderr (secrets redacted)" },
];

/**
 * Values for flags, by flag name, from the definitions. The scripts look a value up by the flag alone
 * (whatever the command), so one flag name must complete the same way everywhere; a test checks it.
 */
export function flagValueSources(defs: readonly CommandDef[]): Record<string, ValueSource> {
  const out: Record<string, ValueSource> = {};
  for (const d of defs) {
    for (const o of Object.values(d.options)) if (o.kind === "text" && o.completes) out[flagName(o)] ??= o.completes;
  }
  return out;
}

/** What positional arguments complete to: the declared sources; an argument without one completes to anything. */
function positionalsFor(d: CommandDef): ValueSource[] {
  return (d.args ?? []).some((a) => a.completes) ? (d.args ?? []).map((a) => a.completes ?? { any: true }) : [];
}

export function parseFlag(raw: string, description: string): FlagModel {
  const names = raw
    .split(/[,\s]+/)
    .filter((t) => t.startsWith("-"))
    .map((t) => t.trim());
  return { names, takesValue: /[<[]/.test(raw), description };
}

export function completionModel(defs: readonly CommandDef[]): {
  top: Array<{ name: string; summary: string }>;
  groups: Record<string, Array<{ name: string; summary: string }>>;
  commands: CommandModel[];
  flagValues: Record<string, ValueSource>;
} {
  const visible = defs.filter((c) => !c.hidden);
  const top: Array<{ name: string; summary: string }> = [];
  const groups: Record<string, Array<{ name: string; summary: string }>> = {};
  for (const c of visible) {
    const head = c.path[0]!;
    if (c.path.length > 1) {
      if (!groups[head]) {
        groups[head] = [];
        top.push({
          name: head,
          summary: `${head} commands: ${visible
            .filter((v) => v.path[0] === head && v.path.length > 1)
            .map((v) => v.path[1])
            .join(", ")}`,
        });
      }
      groups[head]!.push({ name: c.path.slice(1).join(" "), summary: c.summary });
    } else top.push({ name: head, summary: c.summary });
  }
  top.push({ name: "help", summary: "Show help for a command" });
  const cmds: CommandModel[] = visible.map((c) => ({
    path: c.path.join(" "),
    summary: c.summary,
    flags: [...Object.values(c.options).map((o) => parseFlag(o.flag, o.description)), ...GLOBAL_FLAGS],
    positionals: positionalsFor(c),
  }));
  const allPaths = visible.map((c) => c.path.join(" "));
  cmds.push({
    path: "help",
    summary: "Show help for a command",
    flags: GLOBAL_FLAGS,
    positionals: [{ words: [...new Set(allPaths.map((p) => p.split(" ")[0]!))] }, { any: true }],
  });
  return { top, groups, commands: cmds, flagValues: flagValueSources(visible) };
}

export function completionScript(shell: Shell, defs: readonly CommandDef[]): string {
  const model = completionModel(defs);
  if (shell === "bash") return bashScript(model);
  if (shell === "zsh") return zshScript(model);
  if (shell === "powershell") return powershellScript(model);
  return fishScript(model);
}

type Model = ReturnType<typeof completionModel>;

const valueFlags = (m: Model) => [...new Set(m.commands.flatMap((c) => c.flags.filter((f) => f.takesValue).flatMap((f) => f.names)))];

/** Single-quote for sh/bash/zsh. */
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

// ───────────────────────────── bash ─────────────────────────────

function bashValue(src: ValueSource, indent: string): string {
  if ("words" in src) return `${indent}COMPREPLY=( $(compgen -W ${sq(src.words.join(" "))} -- "$cur") )`;
  if ("dynamic" in src) return `${indent}_ccsso_dynamic_reply ${src.dynamic}`;
  if ("dirs" in src) return `${indent}COMPREPLY=( $(compgen -d -- "$cur") )`;
  return `${indent}compopt -o default 2>/dev/null; COMPREPLY=()`;
}

function bashScript(m: Model): string {
  const vf = valueFlags(m);
  const lines: string[] = [
    '# bash completion for ccsso. Install: eval "$(ccsso completion bash)" in ~/.bashrc',
    "# Generated from ccsso's command table; regenerate after upgrading ccsso.",
    "",
    "# Names from files or AWS come from `ccsso __complete KIND`; its failures are silent by design.",
    "_ccsso_dynamic_reply() {",
    "  local IFS=$'\\n' extra=()",
    '  [[ -n "$_ccsso_profile" ]] && extra+=(--profile "$_ccsso_profile")',
    '  [[ -n "$_ccsso_region" ]] && extra+=(--region "$_ccsso_region")',
    '  COMPREPLY=( $(compgen -W "$(command "${COMP_WORDS[0]}" __complete "$1" "${extra[@]}" 2>/dev/null)" -- "$cur") )',
    "}",
    "",
    "_ccsso() {",
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="" cmd="" npos=0 i w skip=""',
    '  _ccsso_profile="" _ccsso_region=""',
    '  (( COMP_CWORD > 0 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"',
    "  for (( i=1; i<COMP_CWORD; i++ )); do",
    '    w="${COMP_WORDS[i]}"',
    '    if [[ -n "$skip" ]]; then',
    '      [[ "$skip" == --profile ]] && _ccsso_profile="$w"',
    '      [[ "$skip" == --region ]] && _ccsso_region="$w"',
    '      skip=""; continue',
    "    fi",
    '    case "$w" in',
    '      --) [[ "$cmd" == exec ]] && { compopt -o default 2>/dev/null; COMPREPLY=(); return 0; } ;;',
    `      ${vf.join("|")}) skip="$w"; continue ;;`,
    "      -*) continue ;;",
    "    esac",
    '    if [[ -z "$cmd" ]]; then cmd="$w"',
    `    elif [[ ${Object.keys(m.groups)
      .map((g) => `"$cmd" == ${sq(g)}`)
      .join(" || ")} ]]; then cmd="$cmd $w"`,
    "    else npos=$((npos+1)); fi",
    "  done",
    '  case "$prev" in',
  ];
  for (const flag of vf) {
    const src = m.flagValues[flag];
    lines.push(`    ${flag})`, src ? bashValue(src, "      ") : "      COMPREPLY=()", "      return 0 ;;");
  }
  lines.push("  esac", '  if [[ "$cur" == -* ]]; then', '    local flags=""', '    case "$cmd" in');
  for (const c of m.commands) lines.push(`      ${sq(c.path)}) flags=${sq(c.flags.flatMap((f) => f.names).join(" "))} ;;`);
  lines.push(
    `      *) flags='--help --version' ;;`,
    "    esac",
    '    COMPREPLY=( $(compgen -W "$flags" -- "$cur") )',
    "    return 0",
    "  fi",
    '  case "$cmd" in',
  );
  lines.push(`    '') COMPREPLY=( $(compgen -W ${sq(m.top.map((t) => t.name).join(" "))} -- "$cur") ) ;;`);
  for (const [g, subs] of Object.entries(m.groups))
    lines.push(`    ${sq(g)}) COMPREPLY=( $(compgen -W ${sq(subs.map((s) => s.name).join(" "))} -- "$cur") ) ;;`);
  for (const c of m.commands) {
    if (c.positionals.length === 0) continue;
    lines.push(`    ${sq(c.path)})`);
    lines.push("      case $npos in");
    c.positionals.forEach((src, i) => {
      const last = i === c.positionals.length - 1;
      lines.push(`        ${last ? "*" : String(i)})`, bashValue(src, "          "), "          ;;");
    });
    lines.push("      esac ;;");
  }
  lines.push("    *) COMPREPLY=() ;;", "  esac", "  return 0", "}", "", "complete -F _ccsso ccsso", "");
  return lines.join("\n");
}

// ───────────────────────────── zsh ─────────────────────────────

function zshValue(src: ValueSource, indent: string): string {
  if ("words" in src) return `${indent}compadd -- ${src.words.map(sq).join(" ")}`;
  if ("dynamic" in src) return `${indent}_ccsso_dynamic ${src.dynamic}`;
  if ("dirs" in src) return `${indent}_directories`;
  return `${indent}_files`;
}

/** Escape a name for a zsh _describe "name:description" entry. */
const zd = (name: string, desc: string) => sq(`${name.replace(/:/g, "\\:")}:${desc}`);

function zshScript(m: Model): string {
  const vf = valueFlags(m);
  const lines: string[] = [
    "#compdef ccsso",
    '# zsh completion for ccsso. Install: eval "$(ccsso completion zsh)" in ~/.zshrc (after compinit),',
    "# or save it as _ccsso in a directory on $fpath. Generated from ccsso's command table.",
    "",
    "_ccsso_dynamic() {",
    "  local -a extra names",
    '  [[ -n "$_ccsso_profile" ]] && extra+=(--profile "$_ccsso_profile")',
    '  [[ -n "$_ccsso_region" ]] && extra+=(--region "$_ccsso_region")',
    '  names=("${(@f)$(command ${words[1]} __complete $1 "${extra[@]}" 2>/dev/null)}")',
    "  compadd -- ${names:#}",
    "}",
    "",
    "_ccsso() {",
    '  local cmd="" npos=0 i w skip="" prev="${words[CURRENT-1]}" cur="${words[CURRENT]}"',
    '  typeset -g _ccsso_profile="" _ccsso_region=""',
    "  for (( i=2; i<CURRENT; i++ )); do",
    '    w="${words[i]}"',
    '    if [[ -n "$skip" ]]; then',
    '      [[ "$skip" == --profile ]] && _ccsso_profile="$w"',
    '      [[ "$skip" == --region ]] && _ccsso_region="$w"',
    '      skip=""; continue',
    "    fi",
    '    case "$w" in',
    '      --) [[ "$cmd" == exec ]] && { _normal; return; } ;;',
    `      ${vf.join("|")}) skip="$w"; continue ;;`,
    "      -*) continue ;;",
    "    esac",
    '    if [[ -z "$cmd" ]]; then cmd="$w"',
    `    elif [[ "$cmd" == (${Object.keys(m.groups).join("|")}) ]]; then cmd="$cmd $w"`,
    "    else (( npos++ )); fi",
    "  done",
    '  case "$prev" in',
  ];
  for (const flag of vf) {
    const src = m.flagValues[flag];
    lines.push(`    ${flag})`, src ? zshValue(src, "      ") : "      _message 'value'", "      return ;;");
  }
  lines.push("  esac", '  if [[ "$cur" == -* ]]; then', "    local -a flags", '    case "$cmd" in');
  for (const c of m.commands) {
    const entries = c.flags.flatMap((f) => f.names.map((n) => zd(n, f.description)));
    lines.push(`      ${sq(c.path)}) flags=(${entries.join(" ")}) ;;`);
  }
  lines.push(
    `      *) flags=(${zd("--help", "Show help")} ${zd("--version", "Show version")}) ;;`,
    "    esac",
    "    _describe -t flags 'option' flags",
    "    return",
    "  fi",
    '  case "$cmd" in',
  );
  lines.push(
    `    '') local -a top; top=(${m.top.map((t) => zd(t.name, t.summary)).join(" ")}); _describe -t commands 'ccsso command' top ;;`,
  );
  for (const [g, subs] of Object.entries(m.groups)) {
    lines.push(
      `    ${sq(g)}) local -a subs; subs=(${subs.map((s) => zd(s.name, s.summary)).join(" ")}); _describe -t commands '${g} command' subs ;;`,
    );
  }
  for (const c of m.commands) {
    if (c.positionals.length === 0) continue;
    lines.push(`    ${sq(c.path)})`, "      case $npos in");
    c.positionals.forEach((src, i) => {
      const last = i === c.positionals.length - 1;
      lines.push(`        ${last ? "*" : String(i)})`, zshValue(src, "          "), "          ;;");
    });
    lines.push("      esac ;;");
  }
  lines.push("  esac", "}", "", 'if [[ "$funcstack[1]" == _ccsso ]]; then _ccsso "$@"; else compdef _ccsso ccsso; fi', "");
  return lines.join("\n");
}

// ───────────────────────────── fish ─────────────────────────────

/** Single-quote for fish (only \ and ' are special inside). */
const fq = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

function fishValue(src: ValueSource): string {
  if ("words" in src) return `-a ${fq(src.words.join(" "))}`;
  if ("dynamic" in src) return `-a '(__ccsso_dynamic ${src.dynamic})'`;
  if ("dirs" in src) return `-a '(__fish_complete_directories)'`;
  return "-F";
}

function fishScript(m: Model): string {
  const vf = valueFlags(m);
  const groups = Object.keys(m.groups);
  const lines: string[] = [
    "# fish completion for ccsso. Install: ccsso completion fish > ~/.config/fish/completions/ccsso.fish",
    "# Generated from ccsso's command table.",
    "",
    '# Prints the command path typed so far ("sso login"), then one line per positional argument.',
    "function __ccsso_state",
    "    set -l tokens (commandline -opc)",
    "    set -l cmd ''",
    "    set -l npos 0",
    "    set -l skip 0",
    "    for w in $tokens[2..-1]",
    "        if test $skip = 1",
    "            set skip 0",
    "            continue",
    "        end",
    "        switch $w",
    `            case ${vf.join(" ")}`,
    "                set skip 1",
    "                continue",
    "            case '-*'",
    "                continue",
    "        end",
    '        if test -z "$cmd"',
    "            set cmd $w",
    `        else if contains -- $cmd ${groups.join(" ")}`,
    '            set cmd "$cmd $w"',
    "        else",
    "            set npos (math $npos + 1)",
    "        end",
    "    end",
    "    echo $cmd",
    "    echo $npos",
    "end",
    "",
    "# __ccsso_is PATH [N | + N]: the command typed is PATH (and N positionals, or at least N, precede the cursor).",
    "function __ccsso_is",
    "    set -l state (__ccsso_state)",
    '    test "$state[1]" = "$argv[1]"; or return 1',
    "    switch (count $argv)",
    "        case 1",
    "            return 0",
    "        case 2",
    '            test "$state[2]" = "$argv[2]"',
    "        case '*'",
    '            test "$state[2]" -ge "$argv[3]"',
    "    end",
    "end",
    "",
    "function __ccsso_dynamic",
    "    set -l tokens (commandline -opc)",
    "    set -l extra",
    "    for flag in --profile --region",
    "        set -l i (contains -i -- $flag $tokens)",
    "        and test $i -lt (count $tokens)",
    "        and set -a extra $flag $tokens[(math $i + 1)]",
    "    end",
    "    command $tokens[1] __complete $argv[1] $extra 2>/dev/null",
    "end",
    "",
    "complete -c ccsso -f",
  ];
  for (const t of m.top) lines.push(`complete -c ccsso -n '__ccsso_is ""' -a ${fq(t.name)} -d ${fq(t.summary)}`);
  for (const [g, subs] of Object.entries(m.groups)) {
    for (const s of subs) lines.push(`complete -c ccsso -n ${fq(`__ccsso_is ${g}`)} -a ${fq(s.name)} -d ${fq(s.summary)}`);
  }
  for (const c of m.commands) {
    const cond = fq(`__ccsso_is '${c.path}'`);
    for (const f of c.flags) {
      const long = f.names.filter((n) => n.startsWith("--")).map((n) => `-l ${n.slice(2)}`);
      const short = f.names.filter((n) => /^-[^-]$/.test(n)).map((n) => `-s ${n.slice(1)}`);
      const src = m.flagValues[f.names.find((n) => n.startsWith("--")) ?? ""];
      const value = f.takesValue ? ` -r${src ? " " + fishValue(src) : ""}` : "";
      lines.push(`complete -c ccsso -n ${cond} ${[...long, ...short].join(" ")}${value} -d ${fq(f.description)}`);
    }
    c.positionals.forEach((src, i) => {
      const last = i === c.positionals.length - 1;
      const posCond = fq(last ? `__ccsso_is '${c.path}' + ${i}` : `__ccsso_is '${c.path}' ${i}`);
      lines.push(`complete -c ccsso -n ${posCond} ${fishValue(src)}`);
    });
  }
  lines.push("");
  return lines.join("\n");
}

// ───────────────────────────── PowerShell ─────────────────────────────

/** Single-quote for PowerShell: only quote characters are special inside, each doubled. */
const pq = (s: string) => `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, (c) => c + c)}'`;

/**
 * A PowerShell array of @(name, description) pairs. One pair needs the unary comma, or @() would flatten
 * it into two strings.
 */
const psPairs = (items: Array<{ name: string; summary: string }>) => {
  const pairs = items.map((i) => `@(${pq(i.name)}, ${pq(i.summary)})`);
  return pairs.length === 1 ? `@(,${pairs[0]})` : `@(${pairs.join(", ")})`;
};

function psValue(src: ValueSource): string {
  if ("words" in src) return `$reply = ${psPairs(src.words.map((w) => ({ name: w, summary: w })))}`;
  // @(…) around the call: a function's output is unrolled once, and a single pair must stay a pair.
  if ("dynamic" in src) return `$reply = @(__ccsso_dynamic ${pq(src.dynamic)} $profileArg $regionArg)`;
  if ("dirs" in src) return "$reply = @(Get-ChildItem -Directory -Name -ErrorAction SilentlyContinue | ForEach-Object { ,@($_, $_) })";
  return "$reply = $null";
}

function powershellScript(m: Model): string {
  const vf = valueFlags(m);
  const lines: string[] = [
    "# PowerShell completion for ccsso. Install: ccsso completion powershell | Out-String | Invoke-Expression  (in $PROFILE)",
    "# Generated from ccsso's command table; regenerate after upgrading ccsso.",
    "",
    "# Names from files or AWS come from `ccsso __complete KIND`; its failures are silent by design.",
    "function __ccsso_dynamic([string]$kind, [string]$profileArg, [string]$regionArg) {",
    "    $extra = @()",
    "    if ($profileArg) { $extra += @('--profile', $profileArg) }",
    "    if ($regionArg) { $extra += @('--region', $regionArg) }",
    "    @(& ccsso __complete $kind @extra 2>$null | Where-Object { $_ } | ForEach-Object { ,@($_, $_) })",
    "}",
    "",
    "Register-ArgumentCompleter -Native -CommandName ccsso -ScriptBlock {",
    "    param($wordToComplete, $commandAst, $cursorPosition)",
    "    # The words before the one being completed.",
    "    $prior = @($commandAst.CommandElements | Where-Object { $_.Extent.EndOffset -lt $cursorPosition } | ForEach-Object { $_.ToString() })",
    `    $valueFlags = @(${vf.map(pq).join(", ")})`,
    `    $groups = @(${Object.keys(m.groups).map(pq).join(", ")})`,
    "    $cmd = ''; $npos = 0; $skip = $null; $profileArg = $null; $regionArg = $null",
    "    for ($i = 1; $i -lt $prior.Count; $i++) {",
    "        $w = $prior[$i]",
    "        if ($skip) {",
    "            if ($skip -eq '--profile') { $profileArg = $w }",
    "            if ($skip -eq '--region') { $regionArg = $w }",
    "            $skip = $null; continue",
    "        }",
    "        if ($valueFlags -contains $w) { $skip = $w; continue }",
    "        if ($w.StartsWith('-')) { continue }",
    "        if ($cmd -eq '') { $cmd = $w } elseif ($groups -contains $cmd) { $cmd = \"$cmd $w\" } else { $npos++ }",
    "    }",
    "    $reply = $null",
    "    if ($skip) {",
    "        switch ($skip) {",
  ];
  for (const flag of vf) {
    const src = m.flagValues[flag];
    lines.push(`            ${pq(flag)} { ${src ? psValue(src) : "$reply = $null"} }`);
  }
  lines.push("        }", "    } elseif ($wordToComplete.StartsWith('-')) {", "        switch ($cmd) {");
  for (const c of m.commands) {
    lines.push(
      `            ${pq(c.path)} { $reply = ${psPairs(c.flags.flatMap((f) => f.names.map((n) => ({ name: n, summary: f.description }))))} }`,
    );
  }
  lines.push(
    `            default { $reply = ${psPairs([
      { name: "--help", summary: "Show help" },
      { name: "--version", summary: "Show version" },
    ])} }`,
    "        }",
    "    } else {",
    "        switch ($cmd) {",
    `            '' { $reply = ${psPairs(m.top)} }`,
  );
  for (const [g, subs] of Object.entries(m.groups)) lines.push(`            ${pq(g)} { $reply = ${psPairs(subs)} }`);
  for (const c of m.commands) {
    if (c.positionals.length === 0) continue;
    const cases = c.positionals.map((src, i) =>
      i === c.positionals.length - 1 ? `default { ${psValue(src)} }` : `${i} { ${psValue(src)} }`,
    );
    lines.push(`            ${pq(c.path)} { switch ($npos) { ${cases.join(" ")} } }`);
  }
  lines.push(
    "        }",
    "    }",
    "    foreach ($pair in @($reply)) {",
    "        if ($null -eq $pair) { continue }",
    "        $name = [string]$pair[0]",
    "        if (-not $name.StartsWith($wordToComplete, [System.StringComparison]::OrdinalIgnoreCase)) { continue }",
    "        # A name with spaces or quotes (a profile, say) is inserted quoted, so it stays one argument.",
    "        $text = if ($name -match '[\\s''\"`$;&|(){}@,#<>\\u2018-\\u201b]') { \"'\" + ($name -replace '[''\\u2018-\\u201b]', '$0$0') + \"'\" } else { $name }",
    "        [System.Management.Automation.CompletionResult]::new($text, $name, 'ParameterValue', [string]$pair[1])",
    "    }",
    "}",
    "",
  );
  return lines.join("\n");
}
