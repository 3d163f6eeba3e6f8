// The access each collection phase needs (docs/acls.md is the operator's version of this table). An
// authorization error names the ACL to add instead of leaving the operator to map Kafka's error code to a
// resource and an operation.
import type { PhaseName } from "@/lib/snapshot/types";

export interface RequiredAcl {
  operation: "Describe" | "DescribeConfigs" | "Read";
  resource: "Cluster" | "Topic" | "Group" | "TransactionalId";
}

/** Kafka's authorization error per resource type. */
const RESOURCE_OF_ERROR: Record<string, RequiredAcl["resource"]> = {
  TOPIC_AUTHORIZATION_FAILED: "Topic",
  GROUP_AUTHORIZATION_FAILED: "Group",
  CLUSTER_AUTHORIZATION_FAILED: "Cluster",
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: "TransactionalId",
};

/** The operation each phase's requests need on each resource type, where it is not Describe. */
const OPERATION: Partial<Record<PhaseName, Partial<Record<RequiredAcl["resource"], RequiredAcl["operation"]>>>> = {
  // DescribeConfigs of topics and of brokers (a broker's configs are a Cluster resource).
  configs: { Topic: "DescribeConfigs", Cluster: "DescribeConfigs" },
  // DescribeProducers needs Read on the topic (KIP-664).
  producers: { Topic: "Read" },
  // OffsetFetch drops topics it may not describe without an error; the topic error of this phase comes from the
  // marker check, which reads the batch headers between a committed offset and the LSO with a Fetch.
  groupOffsets: { Topic: "Read" },
};

/** The ACL an authorization error of this phase stands for, or undefined when the error is no authorization error. */
export function requiredAcl(phase: PhaseName, errorName: string): RequiredAcl | undefined {
  const resource = RESOURCE_OF_ERROR[errorName];
  if (!resource) return undefined;
  return { operation: OPERATION[phase]?.[resource] ?? "Describe", resource };
}

const CLI_RESOURCE: Record<RequiredAcl["resource"], string> = {
  Cluster: "--cluster",
  Topic: "--topic '*'",
  Group: "--group '*'",
  TransactionalId: "--transactional-id '*'",
};

/** The sentence a phase error carries for a missing ACL, with the kafka-acls command that grants it. */
export function missingAclText(acl: RequiredAcl): string {
  return (
    `missing ACL: ${acl.operation} on ${acl.resource} for the auditor's principal ` +
    `(kafka-acls.sh --add --allow-principal User:<auditor> --operation ${acl.operation} ${CLI_RESOURCE[acl.resource]}; see docs/acls.md)`
  );
}
