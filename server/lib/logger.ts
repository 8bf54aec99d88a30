import pino from "pino";
import { env } from "@/env";

/** Structured logger. Redacts anything that looks like a credential. */
export const logger = pino({
  level: process.env.NODE_ENV === "test" ? "silent" : env().LOG_LEVEL,
  redact: {
    paths: [
      "password",
      "*.password",
      "key",
      "*.key",
      "apiKey",
      "*.apiKey",
      "authorization",
      "*.authorization",
      "headers.authorization",
      "headers.cookie",
      "*.headers.authorization",
      "*.headers.cookie",
    ],
    censor: "[redacted]",
  },
});
