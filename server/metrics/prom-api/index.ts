/**
 * Pure helpers for the Prometheus HTTP API routes (app/api/v1/…): parameters in (./params.ts),
 * envelopes, errors, result shapes, build info and metadata out (./response.ts).
 */
export * from "./params";
export * from "./response";
