// Reading one JSON cache file where any damage is a miss: a cache another tool half-wrote, emptied
// or filled with something else must never stop a git operation (aws-vault's rule, docs/architecture.md §6).
import { readFileIfExists } from "./atomic-file";
import { debugLog, type DebugContext } from "../platform/debug-log";

/** The parsed JSON object, or undefined (with a debug note) when the file is missing or unusable. */
export function readJsonObject(ctx: DebugContext, path: string, what: string): Record<string, unknown> | undefined {
  let text: string | undefined;
  try {
    text = readFileIfExists(path);
  } catch (e) {
    debugLog(ctx, `${what} ${path} is unreadable (${(e as Error).message}); ignoring it`);
    return undefined;
  }
  if (text === undefined) return undefined;
  if (text.trim() === "") {
    debugLog(ctx, `${what} ${path} is empty; ignoring it`);
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    debugLog(ctx, `${what} ${path} is not valid JSON; ignoring it`);
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    debugLog(ctx, `${what} ${path} does not hold a JSON object; ignoring it`);
    return undefined;
  }
  return value as Record<string, unknown>;
}

/** A string field, or undefined when absent or of another type. */
export function stringField(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  return typeof v === "string" ? v : undefined;
}

export function stringListField(obj: Record<string, unknown>, key: string): string[] | undefined {
  const v = obj[key];
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined;
}
