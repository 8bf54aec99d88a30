export * from "./rbac";
export * from "./auth";
export * from "./service-accounts";
export * from "./audit";
export * from "./logs";
export * from "./metrics";
export * from "./discover";
export * from "./dashboards";
