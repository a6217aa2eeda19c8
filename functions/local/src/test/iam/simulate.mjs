// Test-only: evaluates requests against policies with @cloud-copilot/iam-simulate (a maintained
// implementation of IAM's evaluation rules). Reads a JSON array of requests on stdin:
//   {id, principal, action, resource, accountId, context, identityPolicies: [{name, policy}], resourcePolicy?}
// and prints a JSON array of {id, result, errors?} (result: Allowed, ImplicitlyDenied, ExplicitlyDenied).
import { runSimulation } from '@cloud-copilot/iam-simulate'

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const requests = JSON.parse(Buffer.concat(chunks).toString('utf8'))
const out = []
for (const r of requests) {
  const simulation = {
    request: {
      principal: r.principal,
      action: r.action,
      resource: { resource: r.resource, accountId: r.accountId },
      contextVariables: r.context || {}
    },
    identityPolicies: r.identityPolicies || [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: r.resourcePolicy
  }
  const result = await runSimulation(simulation, {})
  if (result.resultType === 'error') {
    out.push({ id: r.id, result: 'Error', errors: result.errors })
  } else {
    out.push({ id: r.id, result: result.overallResult })
  }
}
process.stdout.write(JSON.stringify(out))
