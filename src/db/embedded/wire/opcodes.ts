/** Wire protocol opcodes and limits, as mongod uses them. */
export const OpCode = Object.freeze({
  OP_REPLY: 1,
  OP_UPDATE: 2001,
  OP_INSERT: 2002,
  OP_QUERY: 2004,
  OP_GET_MORE: 2005,
  OP_DELETE: 2006,
  OP_KILL_CURSORS: 2007,
  OP_COMPRESSED: 2012,
  OP_MSG: 2013,
} as const);

export const OpMsgFlag = Object.freeze({
  checksumPresent: 1 << 0,
  moreToCome: 1 << 1,
  exhaustAllowed: 1 << 16,
} as const);

export const Limits = Object.freeze({
  /** Largest document a client may store. */
  maxBsonObjectSize: 16 * 1024 * 1024,
  /** Largest command body (kind-0 section) mongod reads: a document plus 16 KiB of command fields. */
  maxCommandBodySize: 16 * 1024 * 1024 + 16 * 1024,
  /** Largest message a client may send. */
  maxMessageSizeBytes: 48_000_000,
  maxWriteBatchSize: 100_000,
  /** mongod allows a little more than 16 MiB for a reply batch; documents themselves are ≤ 16 MiB. */
  maxReplyBatchBytes: 16 * 1024 * 1024,
  /** mongod's default first batch. */
  defaultFirstBatchSize: 101,
  headerSize: 16,
} as const);
