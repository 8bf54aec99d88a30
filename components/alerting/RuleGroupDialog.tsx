"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorMessage } from "@/components/ui/ErrorMessage";
import { SelectField, TextField } from "@/components/ui/Field";
import { newGroupProblems, ruleSaveErrors, type RuleFieldErrors } from "./rule-form";
import type { RuleGroupSummary } from "./types";
import { folderFromValue, folderValue, useFolderOptions } from "./useFolders";

/** Edits a rule group's name, folder and evaluation interval (its rules stay as they are). */
export function RuleGroupDialog({ group, onClose }: { group: RuleGroupSummary; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const details = useQuery(trpc.alertRules.group.queryOptions({ id: group.id }, { staleTime: 0 }));
  const folders = useFolderOptions([group]);
  const [name, setName] = useState(group.name);
  const [folder, setFolder] = useState(folderValue(group.folderUid));
  const [interval, setInterval] = useState(group.interval);
  const [local, setLocal] = useState<RuleFieldErrors>({});
  const save = useMutation(
    trpc.alertRules.save.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.alertRules.pathKey() });
        onClose();
      },
    }),
  );
  const server = ruleSaveErrors(save.error?.data?.zodIssues, -1);
  const errs = { ...server.fields, ...local };
  const general = save.error && !save.error.data?.zodIssues?.length ? save.error.message : server.other.join("\n") || null;

  function submit(e: FormEvent) {
    e.preventDefault();
    const problems = newGroupProblems(name, interval);
    setLocal(problems);
    if (Object.keys(problems).length || !details.data) return;
    save.mutate({ id: group.id, version: details.data.version, group: { ...details.data.group, name: name.trim(), folderUid: folderFromValue(folder), interval: interval.trim() } });
  }

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Edit rule group ${group.name}`}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={`${id}-form`} variant="primary" busy={save.isPending} disabled={!details.data}>
            Save group
          </Button>
        </>
      }
    >
      <form id={`${id}-form`} onSubmit={submit} noValidate className="space-y-3">
        {details.error && <ErrorMessage>{details.error.message}</ErrorMessage>}
        {general && <ErrorMessage title="Could not save the group">{general}</ErrorMessage>}
        <TextField id={`${id}-name`} label="Group name" value={name} error={errs.groupName} onChange={(e) => setName(e.target.value)} />
        <SelectField id={`${id}-folder`} label="Folder" value={folder} error={errs.folder} onChange={(e) => setFolder(e.target.value)}>
          {folders.map((f) => (
            <option key={folderValue(f.uid)} value={folderValue(f.uid)}>
              {f.title}
            </option>
          ))}
        </SelectField>
        <TextField id={`${id}-interval`} label="Evaluation interval" hint="How often the group's rules are evaluated (1s to 24h), e.g. 30s, 1m." value={interval} error={errs.groupInterval} onChange={(e) => setInterval(e.target.value)} />
      </form>
    </Dialog>
  );
}
