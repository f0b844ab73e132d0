// Python's shlex.split (POSIX mode, no comments) and shlex.quote, as botocore's configloader uses them
// to read section names (`[profile 'my name']`) and the AWS CLI's profile_to_section uses to write them.

const WHITESPACE = " \t\r\n";

/** shlex.split(s): words split on whitespace, '…' literal, "…" with \" and \\ escapes, \x outside quotes. Throws on an unclosed quote. */
export function shlexSplit(s: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (WHITESPACE.includes(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new Error("No closing quotation");
      word = (word ?? "") + s.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let acc = "";
      let j = i + 1;
      for (;;) {
        if (j >= s.length) throw new Error("No closing quotation");
        const d = s[j]!;
        if (d === '"') break;
        // POSIX shlex: inside double quotes a backslash escapes only `"` and `\`.
        if (d === "\\" && j + 1 < s.length && (s[j + 1] === '"' || s[j + 1] === "\\")) {
          acc += s[j + 1];
          j += 2;
        } else {
          acc += d;
          j++;
        }
      }
      word = (word ?? "") + acc;
      i = j + 1;
    } else if (c === "\\") {
      if (i + 1 >= s.length) throw new Error("No escaped character");
      word = (word ?? "") + s[i + 1];
      i += 2;
    } else {
      word = (word ?? "") + c;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** shlex.quote(s): unchanged when only safe characters, else single-quoted with ' as '"'"'. */
export function shlexQuote(s: string): string {
  if (s === "") return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return "'" + s.replace(/'/g, `'"'"'`) + "'";
}
