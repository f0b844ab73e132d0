import { describe, expect, it } from "bun:test";
import { didYouMean, editDistance } from "../../src/core/did-you-mean";

const COMMANDS = [
  "configure",
  "sso",
  "whoami",
  "export-credentials",
  "exec",
  "credential-helper",
  "setup-git",
  "clone",
  "repos",
  "doctor",
  "completion",
];
const SSO = ["login", "logout", "status"];
const OPTIONS = ["--profile", "--json", "--help", "--debug", "--version"];
const REGIONS = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "cn-north-1"];

describe("edit distance with git's weights", () => {
  it.each([
    ["", "", 0],
    ["abc", "abc", 0],
    ["ab", "ba", 0], // a swap of neighbours is free
    ["abc", "abd", 2], // a wrong letter
    ["ac", "abc", 1], // a letter left out
    ["abcd", "abc", 3], // a letter too many
    ["", "abc", 3],
    ["abc", "", 9],
    ["whomai", "whoami", 0],
  ])("%p → %p costs %d", (typed, candidate, cost) => {
    expect(editDistance(typed, candidate)).toBe(cost);
  });
});

describe("did you mean", () => {
  it.each([
    ["whomai", COMMANDS, ["whoami"]],
    ["lgoin", SSO, ["login"]],
    ["stauts", SSO, ["status"]],
    ["--porfile", OPTIONS, ["--profile"]],
    ["us-esat-1", REGIONS, ["us-east-1"]],
    ["eu-west-l", REGIONS, ["eu-west-1"]],
    ["dve", ["dev", "prod", "default"], ["dev"]],
    ["setup", COMMANDS, ["setup-git"]], // a prefix wins outright
    ["log", SSO, ["login", "logout"]], // several prefixes: all of them, in the order given
    ["clon", COMMANDS, ["clone"]],
  ] as const)("suggests for %p", (typed, candidates, expected) => {
    expect(didYouMean(typed, candidates)).toEqual([...expected]);
  });

  it.each([
    ["nowhere-9", REGIONS, "nothing close"],
    ["xyzzy", COMMANDS, "nothing close"],
    ["", SSO, "an empty word is a prefix of everything"],
    ["lo", ["login", "logout"], "a prefix of every candidate says nothing"],
    ["login", SSO, "the word itself is not a suggestion"],
    ["anything", [], "no candidates"],
  ] as const)("suggests nothing for %p (%s)", (typed, candidates) => {
    expect(didYouMean(typed, candidates)).toEqual([]);
  });

  it("keeps equally close candidates together", () => {
    expect(didYouMean("us-east-3", REGIONS)).toEqual(["us-east-1", "us-east-2"]);
  });

  it("stops suggesting at git's similarity floor (score 7 = distance 6)", () => {
    // Six letters left out costs 6; five costs 5 and is still suggested.
    expect(didYouMean("ag", ["abcdefg", "qqqqqqqqqq"])).toEqual(["abcdefg"]); // 5 insertions
    expect(didYouMean("ah", ["abcdefgh", "qqqqqqqqqq"])).toEqual([]); // 6 insertions
  });

  it("offers the only candidate when what was typed starts it", () => {
    expect(didYouMean("de", ["dev"])).toEqual(["dev"]);
  });
});
