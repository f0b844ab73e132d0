// The one way a command line is built for a person to paste (hints, doctor fixes, setup-git output,
// `export AWS_PROFILE=…`) or for git to run through `sh -c` (helper strings). A value that came from a
// file or a URL — a profile name out of a `.gitmodules` URL, say — must reach the shell as one word
// whatever it holds, so no caller joins words with spaces itself.

/** POSIX sh quoting, only where needed: a word of safe characters stays as it is, anything else is single-quoted. */
export function shellQuote(word: string): string {
  if (word === "") return "''";
  // A leading `=` is quoted too: zsh expands `=name` to the path of the command `name`.
  if (/^[A-Za-z0-9_./:@%+,-][A-Za-z0-9_./:=@%+,-]*$/.test(word)) return word;
  // Inside '…' nothing is special to sh except the closing quote, which is written as '\''.
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** argv as one sh command line: every word quoted by shellQuote. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}
