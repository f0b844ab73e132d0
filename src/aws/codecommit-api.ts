// The CodeCommit API (botocore data/codecommit/2015-04-13: JSON 1.1, target prefix CodeCommit_20150413):
// ListRepositories (all pages) for `ccsso repos` and completion, GetRepository for `ccsso clone`.
import { RemoteError } from "../core/errors";
import type { Context } from "../platform/context";
import { signedPost, type SignedCallTarget } from "./signed-call";

export interface RepositorySummary {
  repositoryName: string;
  repositoryId: string;
}

export interface RepositoryMetadata {
  accountId?: string;
  repositoryId?: string;
  repositoryName: string;
  repositoryDescription?: string;
  defaultBranch?: string;
  cloneUrlHttp?: string;
  cloneUrlSsh?: string;
  Arn?: string;
}

// A page is at most 1,000 repositories (the model's documentation); 100 pages is far beyond any real
// account and stops a misbehaving endpoint that repeats its nextToken forever.
const MAX_PAGES = 100;

export interface CodeCommitApi {
  listRepositories(): Promise<RepositorySummary[]>;
  getRepository(name: string): Promise<RepositoryMetadata>;
}

export function createCodeCommitApi(
  ctx: Context,
  target: Omit<SignedCallTarget, "service">,
  opts: { timeoutMs?: number } = {},
): CodeCommitApi {
  async function call(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await signedPost(
      ctx,
      { ...target, service: "codecommit" },
      {
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `CodeCommit_20150413.${operation}` },
        body: JSON.stringify(input),
        timeoutMs: opts.timeoutMs,
      },
    );
    let parsed: Record<string, unknown> = {};
    try {
      parsed = res.text ? (JSON.parse(res.text) as Record<string, unknown>) : {};
    } catch {
      // A proxy's HTML error page, say: reported below with the status.
    }
    const requestId = res.headers.get("x-amzn-requestid") ?? undefined;
    if (res.status >= 300) {
      // JSON 1.1 errors: `__type` (maybe "namespace#Name") or the x-amzn-ErrorType header ("Name:url").
      const rawType = (parsed.__type as string | undefined) ?? res.headers.get("x-amzn-errortype") ?? `HTTP ${res.status}`;
      const awsType = rawType.split("#").pop()!.split(":")[0]!;
      const message = (parsed.message ?? parsed.Message ?? "") as string;
      throw new RemoteError(`CodeCommit ${operation} failed: ${awsType}${message ? `: ${message}` : ""}`, {
        service: "codecommit",
        operation,
        awsType,
        status: res.status,
        requestId,
        endpoint: target.endpoint,
      });
    }
    return parsed;
  }
  return {
    async listRepositories() {
      const out: RepositorySummary[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await call("ListRepositories", nextToken ? { nextToken } : {});
        out.push(...((res.repositories as RepositorySummary[] | undefined) ?? []));
        nextToken = res.nextToken as string | undefined;
        if (!nextToken) break;
      }
      return out.sort((a, b) => a.repositoryName.localeCompare(b.repositoryName));
    },
    async getRepository(name) {
      const res = await call("GetRepository", { repositoryName: name });
      return res.repositoryMetadata as RepositoryMetadata;
    },
  };
}
