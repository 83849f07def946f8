// Runs the GraphQL-over-HTTP specification's official server audits
// (graphql-http's serverAudits) against the URL given, and prints one JSON
// line: counts by status and every audit that did not pass.
// Packages come from admin-ui/node_modules (the Cargo build installs them).
const path = require("node:path");
const { createRequire } = require("node:module");
const requireFromUi = createRequire(path.join(__dirname, "../../../admin-ui/package.json"));
const { serverAudits } = requireFromUi("graphql-http");

async function main() {
  const url = process.argv[2];
  if (!url) throw new Error("usage: node graphql-http-audit.cjs URL");
  const results = await Promise.all(serverAudits({ url, fetchFn: fetch }).map(({ fn }) => fn()));
  const counts = { ok: 0, warn: 0, error: 0, notice: 0 };
  const failed = [];
  for (const result of results) {
    counts[result.status] = (counts[result.status] ?? 0) + 1;
    if (result.status !== "ok") {
      failed.push({ status: result.status, name: result.name, reason: result.reason });
    }
  }
  // MUST failures are "error", SHOULD failures "warn", MAY failures "notice".
  const must = results.filter((r) => r.name.startsWith("MUST"));
  const should = results.filter((r) => r.name.startsWith("SHOULD"));
  console.log(
    JSON.stringify({
      total: results.length,
      counts,
      must: { total: must.length, failed: must.filter((r) => r.status !== "ok").length },
      should: { total: should.length, failed: should.filter((r) => r.status !== "ok").length },
      failed,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
