import { describe, expect, it } from "bun:test";
import { formatCredentialResponse, parseCredentialRequest } from "../../src/core/credential-protocol";

describe("reading a git credential request", () => {
  it("reads the attributes git 2.46 sends", () => {
    const req = parseCredentialRequest(
      "capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/myrepo\n\n",
    );
    expect(req.attributes.get("protocol")).toBe("https");
    expect(req.attributes.get("host")).toBe("git-codecommit.us-east-1.amazonaws.com");
    expect(req.attributes.get("path")).toBe("v1/repos/myrepo");
    expect(req.lists.get("capability")).toEqual(["authtype", "state"]);
  });

  it("keeps repeated wwwauth[] lines as a list", () => {
    const req = parseCredentialRequest('wwwauth[]=Basic realm="a"\nwwwauth[]=Bearer\nprotocol=https\n');
    expect(req.lists.get("wwwauth")).toEqual(['Basic realm="a"', "Bearer"]);
  });

  it("clears a list on an empty key[] value", () => {
    expect(parseCredentialRequest("state[]=a\nstate[]=\nstate[]=b\n").lists.get("state")).toEqual(["b"]);
  });

  it("strips one trailing CR per line (CRLF input)", () => {
    const req = parseCredentialRequest("protocol=https\r\nhost=h\r\n\r\n");
    expect(req.attributes.get("protocol")).toBe("https");
    expect(req.attributes.get("host")).toBe("h");
  });

  it("stops at the first blank line", () => {
    const req = parseCredentialRequest("protocol=https\n\nhost=evil.example\n");
    expect(req.attributes.has("host")).toBe(false);
  });

  it("reads to EOF without a final newline", () => {
    expect(parseCredentialRequest("protocol=https\nhost=h").attributes.get("host")).toBe("h");
  });

  it("ignores unknown keys but keeps them out of the way", () => {
    const req = parseCredentialRequest("frobnicate=1\nprotocol=https\n");
    expect(req.attributes.get("protocol")).toBe("https");
  });

  it("keeps a value's own = signs", () => {
    expect(parseCredentialRequest("path=a=b\n").attributes.get("path")).toBe("a=b");
  });

  it("refuses a value with a bare CR (CVE-2024-52006)", () => {
    expect(() => parseCredentialRequest("host=git-codecommit.us-east-1.amazonaws.com\rhost=evil.com\n")).toThrow(/carriage return/);
  });

  it("refuses a value with NUL", () => {
    expect(() => parseCredentialRequest("host=a\0b\n")).toThrow(/NUL/);
  });

  it("refuses a line longer than 65535 bytes", () => {
    expect(() => parseCredentialRequest(`path=${"a".repeat(65535)}\n`)).toThrow(/65535/);
  });

  it("accepts a line of exactly 65535 bytes including its newline", () => {
    const value = "a".repeat(65535 - "path=".length - 1);
    expect(parseCredentialRequest(`path=${value}\n`).attributes.get("path")).toBe(value);
  });

  it("refuses a line without =", () => {
    expect(() => parseCredentialRequest("protocol\n")).toThrow(/key=value/);
  });
});

describe("writing a git credential response", () => {
  it("writes key=value lines with LF only", () => {
    expect(
      formatCredentialResponse([
        ["username", "a"],
        ["password", "b"],
      ]),
    ).toBe("username=a\npassword=b\n");
  });

  it.each([["a\nb"], ["a\rb"], ["a\0b"]])("refuses to write the value %j", (value) => {
    expect(() => formatCredentialResponse([["username", value]])).toThrow(/line break or NUL/);
  });

  it("refuses a key holding =", () => {
    expect(() => formatCredentialResponse([["a=b", "c"]])).toThrow();
  });
});
