// The little of Node's API the tests use to read source files (the UI has no @types/node).
declare module "node:fs" {
  export function readFileSync(path: string, encoding: "utf8"): string;
}
declare const process: { cwd(): string };
