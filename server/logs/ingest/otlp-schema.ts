/**
 * The OTLP logs protobuf messages Lookout reads and writes, declared with protobufjs reflection.
 * Field numbers follow opentelemetry-proto (collector/logs/v1/logs_service.proto, logs/v1/logs.proto,
 * common/v1/common.proto, resource/v1/resource.proto). Field names are the lowerCamelCase JSON
 * names, so `toObject` gives the same shape as OTLP/JSON. `severityNumber` is declared as int32
 * (the wire form of the SeverityNumber enum) so numbers come through as numbers.
 */
import protobuf from "protobufjs";

/** A repeated field descriptor. */
export const repeated = (type: string, id: number) => ({ rule: "repeated", type, id });

/**
 * The `opentelemetry.proto.common.v1` and `opentelemetry.proto.resource.v1` packages, as protobufjs
 * JSON descriptors, to spread into the `opentelemetry.proto` namespace of each signal's root
 * (logs here, metrics in server/metrics/otlp/schema.ts).
 */
export const OTLP_COMMON_PROTO = {
  common: {
    nested: {
      v1: {
        nested: {
          AnyValue: {
            oneofs: {
              value: {
                oneof: ["stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue"],
              },
            },
            fields: {
              stringValue: { type: "string", id: 1 },
              boolValue: { type: "bool", id: 2 },
              intValue: { type: "int64", id: 3 },
              doubleValue: { type: "double", id: 4 },
              arrayValue: { type: "ArrayValue", id: 5 },
              kvlistValue: { type: "KeyValueList", id: 6 },
              bytesValue: { type: "bytes", id: 7 },
            },
          },
          ArrayValue: { fields: { values: repeated("AnyValue", 1) } },
          KeyValueList: { fields: { values: repeated("KeyValue", 1) } },
          KeyValue: { fields: { key: { type: "string", id: 1 }, value: { type: "AnyValue", id: 2 } } },
          InstrumentationScope: {
            fields: {
              name: { type: "string", id: 1 },
              version: { type: "string", id: 2 },
              attributes: repeated("KeyValue", 3),
              droppedAttributesCount: { type: "uint32", id: 4 },
            },
          },
        },
      },
    },
  },
  resource: {
    nested: {
      v1: {
        nested: {
          Resource: {
            fields: {
              attributes: repeated("opentelemetry.proto.common.v1.KeyValue", 1),
              droppedAttributesCount: { type: "uint32", id: 2 },
            },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON({
  nested: {
    opentelemetry: {
      nested: {
        proto: {
          nested: {
            ...OTLP_COMMON_PROTO,
            logs: {
              nested: {
                v1: {
                  nested: {
                    ResourceLogs: {
                      fields: {
                        resource: { type: "opentelemetry.proto.resource.v1.Resource", id: 1 },
                        scopeLogs: repeated("ScopeLogs", 2),
                        schemaUrl: { type: "string", id: 3 },
                      },
                    },
                    ScopeLogs: {
                      fields: {
                        scope: { type: "opentelemetry.proto.common.v1.InstrumentationScope", id: 1 },
                        logRecords: repeated("LogRecord", 2),
                        schemaUrl: { type: "string", id: 3 },
                      },
                    },
                    LogRecord: {
                      fields: {
                        timeUnixNano: { type: "fixed64", id: 1 },
                        severityNumber: { type: "int32", id: 2 },
                        severityText: { type: "string", id: 3 },
                        body: { type: "opentelemetry.proto.common.v1.AnyValue", id: 5 },
                        attributes: repeated("opentelemetry.proto.common.v1.KeyValue", 6),
                        droppedAttributesCount: { type: "uint32", id: 7 },
                        flags: { type: "fixed32", id: 8 },
                        traceId: { type: "bytes", id: 9 },
                        spanId: { type: "bytes", id: 10 },
                        observedTimeUnixNano: { type: "fixed64", id: 11 },
                        eventName: { type: "string", id: 12 },
                      },
                    },
                  },
                },
              },
            },
            collector: {
              nested: {
                logs: {
                  nested: {
                    v1: {
                      nested: {
                        ExportLogsServiceRequest: {
                          fields: { resourceLogs: repeated("opentelemetry.proto.logs.v1.ResourceLogs", 1) },
                        },
                        ExportLogsServiceResponse: {
                          fields: { partialSuccess: { type: "ExportLogsPartialSuccess", id: 1 } },
                        },
                        ExportLogsPartialSuccess: {
                          fields: { rejectedLogRecords: { type: "int64", id: 1 }, errorMessage: { type: "string", id: 2 } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    google: {
      nested: {
        rpc: {
          nested: {
            // details (repeated google.protobuf.Any = 3) is never sent by Lookout.
            Status: { fields: { code: { type: "int32", id: 1 }, message: { type: "string", id: 2 } } },
          },
        },
      },
    },
  },
});

export const ExportLogsServiceRequestType = root.lookupType("opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest");
export const ExportLogsServiceResponseType = root.lookupType("opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse");
export const RpcStatusType = root.lookupType("google.rpc.Status");

/** The OTLP logs request as both OTLP/JSON and `toObject(…, { longs: String })` give it. */
export type OtlpAnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  /** base64 in JSON, bytes in protobuf */
  bytesValue?: string | Uint8Array;
};
export type OtlpKeyValue = { key?: string; value?: OtlpAnyValue };
export type OtlpLogRecord = {
  timeUnixNano?: string | number;
  observedTimeUnixNano?: string | number;
  severityNumber?: number | string;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
  /** hex in JSON, bytes in protobuf */
  traceId?: string | Uint8Array;
  spanId?: string | Uint8Array;
  eventName?: string;
};
export type OtlpScopeLogs = {
  scope?: { name?: string; version?: string; attributes?: OtlpKeyValue[] };
  logRecords?: OtlpLogRecord[];
};
export type OtlpResourceLogs = { resource?: { attributes?: OtlpKeyValue[] }; scopeLogs?: OtlpScopeLogs[] };
export type OtlpLogsRequest = { resourceLogs?: OtlpResourceLogs[] };
