import type { z } from "zod";
import type { Db } from "@/db/client";
import type { Principal } from "@/server/auth/principal";
import { AppError } from "@/server/lib/errors";
import type {
  ContextInput,
  ContextResult,
  FieldsResult,
  HistogramInput,
  HistogramResult,
  SearchInput,
  SearchResult,
  TermsInput,
  TermsResult,
  ValuesInput,
} from "./contract";

// IN PROGRESS: the search engine lands in the next commits (scan, compile, catalog). These entry
// points are the contract the router, the REST endpoints and the Discover page build on.
const pending = () => new AppError("UNAVAILABLE", { userMessage: "Log search is being built" });

export async function searchLogs(_db: Db, _p: Principal, _input: z.output<typeof SearchInput>): Promise<SearchResult> {
  throw pending();
}
export async function searchHistogram(_db: Db, _p: Principal, _input: z.output<typeof HistogramInput>): Promise<HistogramResult> {
  throw pending();
}
export async function searchTerms(_db: Db, _p: Principal, _input: z.output<typeof TermsInput>): Promise<TermsResult> {
  throw pending();
}
export async function searchContext(_db: Db, _p: Principal, _input: z.output<typeof ContextInput>): Promise<ContextResult> {
  throw pending();
}
export async function searchFields(_db: Db): Promise<FieldsResult> {
  throw pending();
}
export async function searchValues(_db: Db, _p: Principal, _input: z.output<typeof ValuesInput>): Promise<{ values: { value: string; count: number }[] }> {
  throw pending();
}
