// Upstream and derived CodeCommit password vectors (docs/protocols.md §5.2).
import { describe, expect, it } from "bun:test";
import { codeCommitCanonicalRequest, codeCommitUsername, signCodeCommitPassword } from "../../src/core/codecommit-sign";

const oct8 = Date.UTC(2010, 9, 8, 0, 0, 0);
const vpcHost = "vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.us-east-1.vpce.amazonaws.com";

describe("the CodeCommit git password", () => {
  describe("matches the AWS CLI's integration vectors (path sent with a leading slash)", () => {
    it.each([
      ["git-codecommit.us-east-1.amazonaws.com", "20101008T000000Z7dc259e2d505af354a1219b9bcd784bd384dc706efa0d9aefc571f214be4c89c"],
      ["git-codecommit-fips.us-east-1.amazonaws.com", "20101008T000000Z500037cb3514b3fe01ebcda7c80973f5b4c0d8199a7a6563b85fd6edf272d460"],
      [vpcHost, "20101008T000000Z9ed987cc6336c3de2d9f06b9236c7a9fd76b660b080db15983290e636dbfbd6b"],
    ])("for %s", (host, password) => {
      // The AWS CLI builds "https://host/" + path, so path=/v1/... signs the URI //v1/repos/myrepo.
      const sig = signCodeCommitPassword({ host, path: "//v1/repos/myrepo", region: "us-east-1", secretAccessKey: "bar", now: oct8 });
      expect(sig).toBe(password);
    });
  });

  it("builds the AWS CLI unit test's exact canonical request", () => {
    expect(codeCommitCanonicalRequest("git-codecommit.us-east-1.amazonaws.com", "//v1/repos/myrepo")).toBe(
      "GIT\n//v1/repos/myrepo\n\nhost:git-codecommit.us-east-1.amazonaws.com\n\nhost\n",
    );
  });

  it("hashes the canonical request for the path git really sends to the documented digest", () => {
    const canonical = codeCommitCanonicalRequest("git-codecommit.us-east-1.amazonaws.com", "v1/repos/myrepo");
    expect(canonical).toBe("GIT\n/v1/repos/myrepo\n\nhost:git-codecommit.us-east-1.amazonaws.com\n\nhost\n");
    expect(new Bun.CryptoHasher("sha256").update(canonical).digest("hex")).toBe(
      "0f169102508b7893b784d846c6ae766f16405ea908fa7d6815b1b895b11ac8ad",
    );
  });

  describe("matches the derived vectors for git's real path (v1/repos/myrepo)", () => {
    it.each([
      [
        "git-codecommit.us-east-1.amazonaws.com",
        "us-east-1",
        "20101008T000000Zfe1db4a13b1db96501a6b235126e3dd60cc42fadfc2b7a00088f106ed89381d0",
      ],
      [
        "git-codecommit-fips.us-east-1.amazonaws.com",
        "us-east-1",
        "20101008T000000Zd8eff9b2be94de7855f73a128b9aaffe5ddae34fc62eec4c124386c952e1befd",
      ],
      [vpcHost, "us-east-1", "20101008T000000Z7c12366dc71b20a3c93175e5a644f39cd3a5664158823fa1f8d45af4c90dd074"],
      [
        "git-codecommit.cn-north-1.amazonaws.com.cn",
        "cn-north-1",
        "20101008T000000Zba5f3736c4ea1e4328173cedda14b7bddf54eb38a02dacc4eed7cdad59ca8e9f",
      ],
      [
        "git-codecommit.us-gov-west-1.amazonaws.com",
        "us-gov-west-1",
        "20101008T000000Z30ba70545d745e4fa357e7bb5df4257f8e28b7db12797d4e245c49761bfb63dc",
      ],
    ])("for %s", (host, region, password) => {
      expect(signCodeCommitPassword({ host, path: "v1/repos/myrepo", region, secretAccessKey: "bar", now: oct8 })).toBe(password);
    });
  });

  it("signs the host without its port, as the AWS CLI does", () => {
    const input = { path: "v1/repos/myrepo", region: "us-east-1", secretAccessKey: "bar", now: oct8 };
    expect(signCodeCommitPassword({ ...input, host: "git-codecommit.us-east-1.amazonaws.com:8443" })).toBe(
      "20101008T000000Zfe1db4a13b1db96501a6b235126e3dd60cc42fadfc2b7a00088f106ed89381d0",
    );
  });

  describe("matches git-remote-codecommit's vectors", () => {
    const at = Date.UTC(2017, 11, 24, 11, 53, 20);
    it("for us-west-2", () => {
      expect(
        signCodeCommitPassword({
          host: "git-codecommit.us-west-2.amazonaws.com",
          path: "/v1/repos/test_repo",
          region: "us-west-2",
          secretAccessKey: "secret",
          now: at,
        }),
      ).toBe("20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a");
    });
    it("for CODE_COMMIT_ENDPOINT=land.called.honahlee", () => {
      expect(
        signCodeCommitPassword({
          host: "land.called.honahlee",
          path: "/v1/repos/test_repo",
          region: "us-west-2",
          secretAccessKey: "secret",
          now: at,
        }),
      ).toBe("20171224T115320Za14a37a53035bbceb6e1748247b143124fe7326cdffd3d418236a592ce6158a0");
    });
  });

  describe("matches the Rust git-remote-codecommit's vectors (epoch 0)", () => {
    const secret = "notrealrnrELgWzOk3IfjzDKtFBhDby";
    it("for codecommit://my-repo", () => {
      expect(
        signCodeCommitPassword({
          host: "git-codecommit.us-east-1.amazonaws.com",
          path: "/v1/repos/my-repo",
          region: "us-east-1",
          secretAccessKey: secret,
          now: 0,
        }),
      ).toBe("19700101T000000Zf840ae3ff903ddb92c450d0e3567fe97ef4aa98bd6636905df48c3beee97d21d");
    });
    it("for an endpoint with a port, which that port signs", () => {
      expect(
        signCodeCommitPassword({
          host: "localhost:8443",
          path: "/v1/repos/my-repo",
          region: "us-east-1",
          secretAccessKey: secret,
          now: 0,
          includePort: true,
        }),
      ).toBe("19700101T000000Za305b3ce69941e8f0773a2257d9059df41dfc3a4d2563a42948e84ec4825ec06");
    });
  });

  it("leaves the session token out of the signature and puts it in the username", () => {
    expect(codeCommitUsername("access", "token")).toBe("access%token");
    expect(codeCommitUsername("access")).toBe("access");
    expect(codeCommitUsername("ANOTREAL", "notarealsessiontoken")).toBe("ANOTREAL%notarealsessiontoken");
  });
});
