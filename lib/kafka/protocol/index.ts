// Public surface of our Kafka protocol layer: codecs for admin APIs kafkajs 2.2.4 lacks, sent over kafkajs's own
// broker connections. Import from here rather than from individual files.
export * from "./apiVersions";
export * from "./codec";
export * from "./describeLogDirs";
export * from "./describeProducers";
export * from "./describeShareGroupOffsets";
export * from "./describeTransactions";
export * from "./errors";
export * from "./groupDescribe";
export * from "./listGroups";
export * from "./listOffsets";
export * from "./listTransactions";
export * from "./metadata";
export * from "./offsetFetch";
export * from "./streamsGroupDescribe";
export * from "./transport";
export * from "./versions";
export * from "./writeTxnMarkers";
export { decodeResponseBody, encodeRequestBody, isFlexible, type ApiMessage } from "./message";
export * from "./kafkajsBrokerApis";
