"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type ChangeEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Checkbox } from "@/components/ui/Checkbox";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { SelectField, TextareaField } from "@/components/ui/Field";
import { Label } from "@/components/ui/Label";
import { Notice } from "@/components/ui/Notice";
import type { ImportRuleFileResult } from "./types";
import { folderFromValue, folderValue, useFolderOptions } from "./useFolders";

const PLACEHOLDER = `groups:
  - name: api
    interval: 1m
    rules:
      - alert: HighErrorRate
        expr: sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05
        for: 10m
        labels:
          severity: page
        annotations:
          summary: "{{ $value | humanizePercentage }} of requests fail"`;

/** Imports a Prometheus rule file (pasted or uploaded) into a folder: check first, then import. */
export function ImportRulesDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const folders = useFolderOptions();
  const [text, setText] = useState("");
  const [folder, setFolder] = useState("");
  const [replace, setReplace] = useState(false);
  const [checked, setChecked] = useState<ImportRuleFileResult | null>(null);
  const [done, setDone] = useState<ImportRuleFileResult | null>(null);
  const run = useMutation(
    trpc.alertRules.importFile.mutationOptions({
      onSuccess: async (r) => {
        if (r.dryRun) setChecked(r);
        else {
          setDone(r);
          await queryClient.invalidateQueries({ queryKey: trpc.alertRules.pathKey() });
        }
      },
    }),
  );

  const reset = () => {
    setChecked(null);
    setDone(null);
    run.reset();
  };
  async function upload(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    setText(await file.text());
    reset();
  }
  const submit = (dryRun: boolean) => run.mutate({ text, folderUid: folderFromValue(folder), replace, dryRun });
  const result = done ?? checked;

  return (
    <Dialog
      open
      size="lg"
      onClose={onClose}
      title="Import rule file"
      description="A Prometheus rule file (groups of alerting rules). Recording rules are skipped; each group keeps its name and interval."
      footer={
        done ? (
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button onClick={() => submit(true)} busy={run.isPending && run.variables?.dryRun} disabled={!text.trim()}>
              Check
            </Button>
            <Button variant="primary" onClick={() => submit(false)} busy={run.isPending && !run.variables?.dryRun} disabled={!text.trim()}>
              Import
            </Button>
          </>
        )
      }
    >
      <div className="space-y-3">
        <div className="grid gap-3 sm:grid-cols-2">
          <SelectField
            id={`${id}-folder`}
            label="Folder"
            value={folder}
            onChange={(e) => {
              setFolder(e.target.value);
              reset();
            }}
          >
            {folders.map((f) => (
              <option key={folderValue(f.uid)} value={folderValue(f.uid)}>
                {f.title}
              </option>
            ))}
          </SelectField>
          <div className="space-y-1">
            <Label htmlFor={`${id}-file`}>Upload a file</Label>
            <input id={`${id}-file`} type="file" accept=".yml,.yaml,.txt,text/yaml" onChange={upload} className="block w-full text-xs file:mr-2 file:rounded file:border file:border-slate-300 file:bg-white file:px-2 file:py-1 dark:file:border-slate-700 dark:file:bg-slate-800" />
          </div>
        </div>
        <TextareaField
          id={`${id}-text`}
          label="Rule file (YAML)"
          rows={14}
          spellCheck={false}
          placeholder={PLACEHOLDER}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            reset();
          }}
        />
        <Checkbox
          label="Replace groups of the same name"
          description="Otherwise a group whose name the folder already has stops the import. Replaced rules keep their history when their names match."
          checked={replace}
          onChange={(e) => {
            setReplace(e.target.checked);
            setDone(null);
          }}
        />
        {run.error && <ErrorMessage title={run.variables?.dryRun ? "The file has problems" : "Could not import the file"}>{run.error.message}</ErrorMessage>}
        {done && (
          <Notice>
            Imported {done.rules} rule{done.rules === 1 ? "" : "s"}: {done.created.length} group{done.created.length === 1 ? "" : "s"} created
            {done.replaced.length ? `, ${done.replaced.length} replaced` : ""}.
          </Notice>
        )}
        {result && (
          <div className="space-y-2 text-sm" data-testid="import-result">
            {!done && (
              <p>
                The file is valid: {result.rules} alerting rule{result.rules === 1 ? "" : "s"} in {result.groups.length} group{result.groups.length === 1 ? "" : "s"}.
              </p>
            )}
            <ul className="list-disc pl-5 text-xs">
              {result.groups.map((g) => (
                <li key={g.name}>
                  <span className="font-medium">{g.name}</span> (every {g.interval}): {g.rules.join(", ") || "no alerting rules"}
                  {result.existing.includes(g.name) && !done && <span className="ml-1 text-amber-700 dark:text-amber-300">— exists in this folder{replace ? "; will be replaced" : ""}</span>}
                </li>
              ))}
            </ul>
            {result.warnings.length > 0 && (
              <div role="status" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
                <p className="font-medium">Warnings</p>
                <ul className="list-disc pl-4">
                  {result.warnings.map((w, i) => (
                    <li key={i}>{w}</li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        )}
      </div>
    </Dialog>
  );
}
