// Dev-time oracle for credwiz's policy evaluator (tests/policy_differential.rs).
// Runs @cloud-copilot/iam-simulate (AGPL-3.0): it is never linked, shipped or vendored into
// credwiz; it only runs here, in a separate process, while the tests run.
//
// Protocol: one JSON object per line on stdin, one JSON object per line on stdout, in order.
//   in:  {"id": N, "simulation": <iam-simulate Simulation>}
//   out: {"id": N, "result": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied", "layers": {...}}
//        {"id": N, "error": "..."} when the oracle refuses the input.
// The first line written is {"ready": true, "version": "<iam-simulate version>"}.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { runSimulation } from '@cloud-copilot/iam-simulate';

const version = JSON.parse(
  readFileSync(new URL('./node_modules/@cloud-copilot/iam-simulate/package.json', import.meta.url), 'utf8'),
).version;

function statementId(analysis) {
  const sid = analysis.statement.sid();
  return { policy: analysis.policyId ?? null, statement: sid ? sid : `#${analysis.statement.index()}` };
}

function simpleLayer(analysis) {
  if (!analysis) return null;
  return {
    result: analysis.result,
    deny: analysis.denyStatements.map(statementId),
    allow: analysis.allowStatements.map((s) => ({ ...statementId(s), principalMatch: s.principalMatch ?? null })),
  };
}

function orgLayer(analysis) {
  if (!analysis) return null;
  return {
    result: analysis.result,
    levels: analysis.ouAnalysis.map((ou) => ({
      id: ou.orgIdentifier,
      result: ou.result,
      deny: ou.denyStatements.map(statementId),
      allow: ou.allowStatements.map(statementId),
    })),
  };
}

async function answer(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (e) {
    return { id: null, error: `bad JSON: ${e.message}` };
  }
  const id = request.id ?? null;
  try {
    const response = await runSimulation(request.simulation, { simulationMode: 'Strict' });
    if (response.resultType === 'error') {
      return { id, error: JSON.stringify(response.errors) };
    }
    if (response.resultType !== 'single') {
      return { id, error: `unexpected result type ${response.resultType}` };
    }
    const a = response.result.analysis;
    return {
      id,
      result: response.overallResult,
      ignoredContextKeys: response.result.ignoredContextKeys ?? [],
      layers: {
        sameAccount: a.sameAccount ?? null,
        blockedBy: a.blockedBy ?? [],
        identity: simpleLayer(a.identityAnalysis),
        boundary: simpleLayer(a.permissionBoundaryAnalysis),
        session: simpleLayer(a.sessionAnalysis),
        resource: simpleLayer(a.resourceAnalysis),
        scp: orgLayer(a.scpAnalysis),
        rcp: orgLayer(a.rcpAnalysis),
      },
    };
  } catch (e) {
    return { id, error: `oracle threw: ${e && e.message ? e.message : String(e)}` };
  }
}

process.stdout.write(JSON.stringify({ ready: true, version }) + '\n');
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === '') continue;
  process.stdout.write(JSON.stringify(await answer(line)) + '\n');
}
