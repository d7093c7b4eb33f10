/**
 * The wire contract between processes: the `.proto` files (package uavmec.v1), their TypeScript
 * shapes, encode/decode with validation, and the topic table.
 */
export * from './gen/types.ts';
export { encode, decode, decodeRaw, type MessageName, type MessageInput, type DecodeFailure } from './codec.ts';
export { CONTRACT_VERSION, PROTO_DIR, PROTO_FILES, lookupType } from './schema.ts';
export { TOPICS, topicName, topicFilter, topicSpec, matchTopic, type TopicSpec, type TopicKey, type TopicParams, type TopicType, type Role } from './topics.ts';
export { validateMessage } from './validate.ts';
