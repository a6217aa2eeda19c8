#!/usr/bin/env bash
# Opt-in smoke test of a deployed stack: sends a correctly signed Rheo webhook to the stack's URL and
# waits until the event is PROCESSED. Needs the AWS CLI configured for the stack's account and region,
# and reads the Rheo secret from Secrets Manager (never printed).
#   scripts/smoke.sh <stack-name> <rheo-secret-name>      e.g. scripts/smoke.sh inlet inlet/rheo
#   scripts/smoke.sh --local                               against ./inlet local
set -euo pipefail
cd "$(dirname "$0")/.."
id="smoke_$(date +%s)"
if [ "${1:-}" = "--local" ]; then
  url="http://127.0.0.1:3000"
  stack_args=()
else
  stack="${1:?usage: scripts/smoke.sh <stack-name> <rheo-secret-name> | --local}"
  secret_name="${2:?usage: scripts/smoke.sh <stack-name> <rheo-secret-name>}"
  url=$(aws cloudformation describe-stacks --stack-name "$stack" \
        --query "Stacks[0].Outputs[?OutputKey=='RheoWebhookUrl'].OutputValue" --output text)
  url="${url%/webhooks/rheo}"
  RHEO_WEBHOOK_SECRETS=$(aws secretsmanager get-secret-value --secret-id "$secret_name" \
        --query SecretString --output text)
  export RHEO_WEBHOOK_SECRETS
  stack_args=(--stack "$stack")
fi
./inlet send rheo item.sold --id "$id" --url "$url"
for _ in $(seq 1 30); do
  if ./inlet events --provider rheo --status processed --json "${stack_args[@]}" | grep -q "\"evt_$id\""; then
    echo "smoke test passed: rheo#evt_$id is PROCESSED"
    exit 0
  fi
  sleep 2
done
echo "smoke test FAILED: rheo#evt_$id did not reach PROCESSED within 60 s" >&2
./inlet events --provider rheo --json "${stack_args[@]}" | grep "\"evt_$id\"" >&2 || echo "(no record at all)" >&2
exit 1
