/**
 * Loki's push protobuf (`logproto.PushRequest`, github.com/grafana/loki/pkg/push/push.proto),
 * declared with protobufjs reflection. Only the wire layout matters; field numbers follow upstream.
 */
import protobuf from "protobufjs";

const root = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Timestamp: { fields: { seconds: { type: "int64", id: 1 }, nanos: { type: "int32", id: 2 } } },
          },
        },
      },
    },
    logproto: {
      nested: {
        PushRequest: { fields: { streams: { rule: "repeated", type: "StreamAdapter", id: 1 } } },
        StreamAdapter: {
          fields: {
            labels: { type: "string", id: 1 },
            entries: { rule: "repeated", type: "EntryAdapter", id: 2 },
            hash: { type: "uint64", id: 3 },
          },
        },
        EntryAdapter: {
          fields: {
            timestamp: { type: "google.protobuf.Timestamp", id: 1 },
            line: { type: "string", id: 2 },
            structuredMetadata: { rule: "repeated", type: "LabelPairAdapter", id: 3 },
          },
        },
        LabelPairAdapter: { fields: { name: { type: "string", id: 1 }, value: { type: "string", id: 2 } } },
      },
    },
  },
});

export const PushRequestType = root.lookupType("logproto.PushRequest");

/** `PushRequest` as `PushRequestType.toObject(msg, { longs: String })` returns it (absent fields omitted). */
export type PushRequestObject = {
  streams?: {
    labels?: string;
    entries?: {
      timestamp?: { seconds?: string; nanos?: number };
      line?: string;
      structuredMetadata?: { name?: string; value?: string }[];
    }[];
    hash?: string;
  }[];
};
