import { describe, expect, it } from "bun:test";
import { ConfigError } from "../../src/core/errors";
import { parseIni, updateIniText, type IniValue } from "../../src/core/ini";
import { shlexQuote, shlexSplit } from "../../src/core/shlex";

const valuesOf = (text: string, section: string) => parseIni(text).sections.find((s) => s.name === section)?.values;

describe("reading INI like botocore's RawConfigParser", () => {
  const cases: Array<[string, string, string, Record<string, string> | undefined]> = [
    ["lower-cases keys", "[default]\nRegion = us-east-1\n", "default", { region: "us-east-1" }],
    ["accepts ':' as a separator", "[default]\nregion: eu-west-1\n", "default", { region: "eu-west-1" }],
    [
      "splits on the first separator only",
      "[default]\nendpoint_url = https://x:8443/a=b\n",
      "default",
      { endpoint_url: "https://x:8443/a=b" },
    ],
    ["keeps an inline '#' as part of the value", "[default]\nregion = us-east-1 # prod\n", "default", { region: "us-east-1 # prod" }],
    ["skips whole-line '#' and ';' comments, even indented", "[default]\n# a = b\n  ; c = d\nregion = x\n", "default", { region: "x" }],
    ["joins indented continuation lines", "[default]\ns3 =\n  a = b\n  c = d\n", "default", { s3: "\na = b\nc = d" }],
    ["drops trailing blank lines of a value", "[default]\nregion = x\n\n\n", "default", { region: "x" }],
    ["reads CRLF files", "[default]\r\nregion = x\r\n", "default", { region: "x" }],
    ["reads past a byte-order mark", "\ufeff[default]\nregion = x\n", "default", { region: "x" }],
    ["reads a header with trailing text", "[default] ; main\nregion = x\n", "default", { region: "x" }],
    ["merges a repeated section into the first", "[a]\nx = 1\n[b]\n[a]\ny = 2\n", "a", { x: "1", y: "2" }],
    ["applies [DEFAULT] keys to every section", "[DEFAULT]\noutput = json\n[a]\nregion = x\n", "a", { output: "json", region: "x" }],
    ["reads a last line without a newline", "[a]\nregion = x", "a", { region: "x" }],
  ];
  for (const [name, text, section, expected] of cases) it(name, () => expect(valuesOf(text, section)).toEqual(expected));

  it("reports what strict botocore would refuse, with line numbers", () => {
    const doc = parseIni("stray = 1\n[a]\nx = 1\nx = 2\nnot an option\n[a]\n");
    expect(doc.problems.map((p) => p.line)).toEqual([1, 4, 5, 6]);
  });

  it("records the line of each key", () => {
    expect(parseIni("[a]\n\n# c\nregion = x\n").sections[0]!.lines).toEqual({ region: 4 });
  });
});

describe("shlex as botocore and the AWS CLI use it", () => {
  const splits: Array<[string, string[]]> = [
    ["profile dev", ["profile", "dev"]],
    ["profile 'my name'", ["profile", "my name"]],
    ['profile "my name"', ["profile", "my name"]],
    ["profile  a\tb", ["profile", "a", "b"]],
    ['profile "a\\"b"', ["profile", 'a"b']],
    ["profile a\\ b", ["profile", "a b"]],
  ];
  for (const [input, words] of splits) it(`splits ${input}`, () => expect(shlexSplit(input)).toEqual(words));
  it("refuses an unclosed quote", () => expect(() => shlexSplit("profile 'x")).toThrow());
  const quotes: Array<[string, string]> = [
    ["dev", "dev"],
    ["my name", "'my name'"],
    ["it's", `'it'"'"'s'`],
    ["", "''"],
  ];
  for (const [input, quoted] of quotes) it(`quotes ${JSON.stringify(input)} as ${quoted}`, () => expect(shlexQuote(input)).toBe(quoted));
});

describe("editing a section like the AWS CLI's ConfigFileWriter", () => {
  const cases: Array<[string, string, string, Record<string, IniValue>, string]> = [
    ["creates a section in an empty file", "", "profile dev", { region: "us-east-1" }, "[profile dev]\nregion = us-east-1\n"],
    [
      "appends a new section with no blank line before it",
      "[default]\nregion = x\n",
      "profile dev",
      { a: "1", b: "2" },
      "[default]\nregion = x\n[profile dev]\na = 1\nb = 2\n",
    ],
    [
      "adds the missing final newline before appending",
      "[default]\nregion = x",
      "profile dev",
      { a: "1" },
      "[default]\nregion = x\n[profile dev]\na = 1\n",
    ],
    [
      "rewrites an existing key as 'key = value', dropping its spacing",
      "[default]\nregion=x\noutput   :  text\n",
      "default",
      { output: "json" },
      "[default]\nregion=x\noutput = json\n",
    ],
    [
      "inserts new keys after the last option line, before blanks and comments",
      "[default]\nregion = x\n\n# next\n[profile a]\nb = 1\n",
      "default",
      { output: "json" },
      "[default]\nregion = x\noutput = json\n\n# next\n[profile a]\nb = 1\n",
    ],
    [
      "skips one line after the last option in the last section (the writer's +2 quirk)",
      "[a]\nx = 1\n\n# end\n",
      "a",
      { y: "2" },
      "[a]\nx = 1\n\ny = 2\n# end\n",
    ],
    ["counts a comment with '=' as an option line", "[a]\nx = 1\n# see y=2\n[b]\n", "a", { z: "3" }, "[a]\nx = 1\n# see y=2\nz = 3\n[b]\n"],
    ["ignores a commented-out header when looking for the section", "# [a]\n[a]\nx = 1\n", "a", { x: "2" }, "# [a]\n[a]\nx = 2\n"],
    ["updates a key whatever its case, as botocore reads it", "[a]\nRegion = x\n", "a", { region: "y" }, "[a]\nregion = y\n"],
    ["deletes a key given null", "[a]\nx = 1\ny = 2\n", "a", { x: null }, "[a]\ny = 2\n"],
    ["does not create a section only to delete from it", "[a]\nx = 1\n", "b", { x: null }, "[a]\nx = 1\n"],
    ["keeps CRLF line endings and uses them for new lines", "[a]\r\nx = 1\r\n", "a", { x: "2", y: "3" }, "[a]\r\nx = 2\r\ny = 3\r\n"],
    ["keeps a byte-order mark and finds the section on the first line", "\ufeff[a]\nx = 1\n", "a", { x: "2" }, "\ufeff[a]\nx = 2\n"],
    ['matches [profile "x"] for profile x', '[profile "dev"]\nx = 1\n', "profile dev", { x: "2" }, '[profile "dev"]\nx = 2\n'],
    [
      "matches a double-quoted header for a single-quoted name",
      '[profile "my name"]\nx = 1\n',
      "profile 'my name'",
      { x: "2" },
      '[profile "my name"]\nx = 2\n',
    ],
    ["does not mistake an indented header for the section", "  [a]\nx = 1\n", "a", { y: "2" }, "  [a]\nx = 1\n[a]\ny = 2\n"],
    [
      "writes nested values as an indented block",
      "",
      "services local",
      { sso_oidc: { endpoint_url: "http://127.0.0.1:1" } },
      "[services local]\nsso_oidc =\n    endpoint_url = http://127.0.0.1:1\n",
    ],
    [
      "updates and extends an existing nested block in place",
      "[a]\ns3 =\n  x = 1\nregion = r\n",
      "a",
      { s3: { x: "2", y: "3" } },
      "[a]\ns3 =\n  x = 2\n    y = 3\nregion = r\n",
    ],
    [
      "never takes a nested sub-key for a top-level key",
      "[a]\ns3 =\n    region = inner\n",
      "a",
      { region: "outer" },
      "[a]\ns3 =\n    region = inner\nregion = outer\n",
    ],
    ["completes a last line without newline before inserting after it", "[a]\nx = 1\n# c", "a", { y: "2" }, "[a]\nx = 1\n# c\ny = 2\n"],
    ["leaves the file untouched when nothing changes", "[a]\nx=1\n", "a", {}, "[a]\nx=1\n"],
  ];
  for (const [name, before, section, values, after] of cases) it(name, () => expect(updateIniText(before, section, values)).toBe(after));

  const rejected: Array<[string, string, Record<string, IniValue>]> = [
    ["a value with a newline", "a", { x: "1\n[evil]" }],
    ["a value with a carriage return", "a", { x: "1\r" }],
    ["a key with a newline", "a", { "x\ny": "1" }],
    ["a section name with a newline", "a]\n[b", { x: "1" }],
    ["a nested value with a newline", "a", { s3: { x: "1\n" } }],
  ];
  for (const [name, section, values] of rejected) {
    it(`refuses ${name}`, () => expect(() => updateIniText("", section, values)).toThrow(ConfigError));
  }

  it("does not echo a rejected value (it may be a secret)", () => {
    expect(() => updateIniText("", "a", { aws_secret_access_key: "s3cr3t\nx" })).toThrow(/^(?!.*s3cr3t)/);
  });
});
