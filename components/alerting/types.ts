import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

export type RuleGroupSummary = Outputs["alertRules"]["list"][number];
export type RuleSummary = RuleGroupSummary["rules"][number];
export type RuleGroupDetails = Outputs["alertRules"]["group"];
export type RuleDetails = Outputs["alertRules"]["byUid"];
export type RulePreview = Outputs["alertRules"]["preview"];
export type ImportRuleFileResult = Outputs["alertRules"]["importFile"];
export type AlertInstanceItem = Outputs["alerts"]["instances"][number];
export type GettableAlert = Outputs["alerts"]["list"][number];
export type StateHistoryItem = Outputs["alerts"]["history"][number];
export type ContactPoint = Outputs["contactPoints"]["list"][number];
export type MuteTiming = Outputs["notificationPolicies"]["muteTimings"][number];
export type SilenceView = Outputs["silences"]["list"][number];
export type SilenceInput = Inputs["silences"]["create"];
