"""Test-only: template.yaml through SAM's own translator (samtranslator), as `sam deploy` submits it.

Prints the CloudFormation JSON. Usage: python3 translate.py TEMPLATE PARAMETERS_JSON
"""
import json
import os
import sys

# The translator asks boto for a region (no AWS call): the test account's.
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicyNames:
    """The template names managed policies by ARN only: a bare name would need IAM, so it fails here."""

    def load(self):
        return {}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        template = yaml_parse(f.read())
    # As `sam package` does before the translator sees it: local code paths become S3 locations.
    for resource in template.get("Resources", {}).values():
        props = resource.get("Properties") or {}
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(props.get("CodeUri"), str):
            props["CodeUri"] = "s3://inlet-package/" + props["CodeUri"].replace("/", "-")
    parameters = json.loads(sys.argv[2])
    parameters.setdefault("AWS::Region", "us-east-1")
    parameters.setdefault("AWS::AccountId", "123456789012")
    parameters.setdefault("AWS::Partition", "aws")
    out = transform(template, parameters, NoManagedPolicyNames())
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
